"""Vietnamese text helpers: NFC normalization, a tone-free search key and a name sort key.

The search key is stored in an indexed column next to the text it is derived from, so a search
for "chi bo van phong" finds "Chi bộ Văn phòng" with the same plain query on SQLite and PostgreSQL.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """NFC-normalize and collapse white space (typed and pasted Vietnamese mixes NFC and NFD)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def search_key(value: str) -> str:
    """Lower-case, without tone marks or diacritics, đ → d: "Chi bộ Văn phòng" → "chi bo van phong"."""
    text = unicodedata.normalize("NFD", nfc(value).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.lower()


def name_sort_key(full_name: str) -> str:
    """Vietnamese lists sort by given name (the last word), then the rest: "Trần Văn An" → "an tran van"."""
    words = search_key(full_name).split(" ")
    return " ".join([words[-1], *words[:-1]]) if words else ""
