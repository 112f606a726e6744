"""The narrative of a report (section VI) as stored: HTML limited to paragraphs and lists.

Whatever arrives (the browser's editor, a pasted Word text, a script), ``clean_narrative`` keeps
only ``<p>``, ``<ul>``, ``<ol>``, ``<li>``, ``<br>``, ``<strong>`` and ``<em>``, with no attribute,
and drops the content of script and style elements. Plain text without tags becomes paragraphs, one
per blank-line-separated block. The result is NFC, so Vietnamese typed with combining marks prints
and searches like the rest of the document.
"""

import re
import unicodedata

import nh3
from django.utils.html import escape

# The three parts of section VI, in the order the document prints them.
NARRATIVE_FIELDS = ("strengths", "shortcomings", "tasks")

ALLOWED_TAGS = {"p", "ul", "ol", "li", "br", "strong", "em"}
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")


def clean_narrative(value: str | None) -> str:
    text = unicodedata.normalize("NFC", value or "").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
        text = "".join(f"<p>{escape(block).replace(chr(10), '<br>')}</p>" for block in blocks)
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes={},
        clean_content_tags={"script", "style"},
        link_rel=None,
        strip_comments=True,
    ).strip()
    # Empty paragraphs (an editor's "<p><br></p>", or a list lifted out of a paragraph) print as gaps.
    cleaned = _EMPTY_PARAGRAPH.sub("", cleaned).strip()
    return "" if is_blank(cleaned) else cleaned


def is_blank(html: str) -> bool:
    """True when the HTML holds no text (an editor's empty "<p><br></p>")."""
    return not re.sub(r"<[^>]*>|&nbsp;|\s", "", html or "")
