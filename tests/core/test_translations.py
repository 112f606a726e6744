"""The Vietnamese catalog is complete: every message of the portal has a translation, none fuzzy.

The messages are extracted afresh (makemessages, in a scratch copy of the source tree so the
real catalog is not touched) and merged with locale/vi; the result must have nothing untranslated
or fuzzy. A new string without its Vietnamese translation fails here.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "media",
    "staticfiles",
    "*.sqlite3",
    "*.mo",
    "__pycache__",
    "tests",
    ".pytest_cache",
    ".ruff_cache",
    "test-results",
)
MAKEMESSAGES_IGNORES = [".venv/*", "node_modules/*", "staticfiles/*", "media/*", "tests/*"]


@pytest.fixture(scope="module", autouse=True)
def _gettext_tools():
    """Skipped on a machine without GNU gettext, except in CI (CI=true), where that is a failure."""
    if shutil.which("msgattrib") is None:
        if os.environ.get("CI"):
            pytest.fail(
                "GNU gettext (msgattrib, msgfmt) is missing: .ci/run must install the gettext package"
            )
        pytest.skip("GNU gettext is not installed")


def _entries(po: Path, *flags: str) -> str:
    result = subprocess.run(
        ["msgattrib", *flags, "--no-wrap", str(po)], capture_output=True, text=True, check=True
    )
    # msgattrib prints the header entry too; only real messages count.
    return "\n".join(
        block for block in result.stdout.split("\n\n") if block.strip() and 'msgid ""\nmsgstr ""' not in block
    )


@pytest.fixture(scope="module")
def extracted_catalog(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("src") / "portal"
    shutil.copytree(settings.BASE_DIR, copy, ignore=IGNORE)
    ignores = [arg for pattern in MAKEMESSAGES_IGNORES for arg in ("-i", pattern)]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete", *ignores],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return copy / "locale/vi/LC_MESSAGES/django.po"


def test_every_message_has_a_vietnamese_translation(extracted_catalog):
    untranslated = _entries(extracted_catalog, "--untranslated")
    assert not untranslated, f"Untranslated messages (add them to locale/vi):\n{untranslated}"


def test_no_translation_is_fuzzy(extracted_catalog):
    fuzzy = _entries(extracted_catalog, "--only-fuzzy")
    assert not fuzzy, f"Fuzzy translations in locale/vi (check and clear the flag):\n{fuzzy}"


def test_catalog_compiles_cleanly():
    po = Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True, capture_output=True)
