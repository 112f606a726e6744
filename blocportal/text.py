"""Vietnamese text helpers: NFC normalization, a tone-free search key and a name sort key.

The search key is stored in an indexed column next to the text it is derived from, so a search
for "chi bo van phong" finds "Chi bộ Văn phòng" with the same plain query on SQLite and PostgreSQL.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def _is_invisible(char: str) -> bool:
    """A format character (Cf: zero-width space, soft hyphen, byte-order mark, bidi controls) or a
    control character other than white space (Cc: NUL...)."""
    return unicodedata.category(char) in ("Cf", "Cc") and not char.isspace()


def nfc(value: str) -> str:
    """NFC-normalize, drop invisible characters and collapse white space. Typed and pasted
    Vietnamese mixes NFC and NFD; text pasted from a web page, a PDF or a word processor brings
    zero-width spaces and bidi controls, which would make two equal names differ, hide a name from
    the search, and reverse a name on screen (U+202E). Every name of a form or an imported file
    goes through here (the models' ``normalize``, ``imports.cell_text``)."""
    text = value or ""
    if not text.isprintable():  # the usual text is, and skips the loop
        text = "".join(char for char in text if not _is_invisible(char))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def search_key(value: str) -> str:
    """Lower-case, without tone marks or diacritics, đ → d: "Chi bộ Văn phòng" → "chi bo van phong"."""
    text = unicodedata.normalize("NFD", nfc(value).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.lower()


# The Vietnamese alphabet, in its order: ă and â follow a, đ follows d, ê follows e, ô and ơ
# follow o, ư follows u. Tones are compared after the letters, in the dictionaries' order: ngang,
# huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Base letter + breve, circumflex or horn (in NFD) -> the letter of the alphabet.
_SHAPED = {"a\u0306": "ă", "a\u0302": "â", "e\u0302": "ê", "o\u0302": "ô", "o\u031b": "ơ", "u\u031b": "ư"}


def _letters(word: str) -> list[tuple[str, int]]:
    """The word's letters as (letter of the alphabet, tone), read from its decomposed form."""
    letters: list[tuple[str, int]] = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONES and letters:
            letters[-1] = (letters[-1][0], _TONES[char])
        elif unicodedata.category(char) == "Mn" and letters:
            base, tone = letters[-1]
            letters[-1] = (_SHAPED.get(base + char, base), tone)
        elif unicodedata.category(char) != "Mn":
            letters.append((char, 0))  # đ has no decomposition: it stays itself
    return letters


def name_sort_key(full_name: str) -> str:
    """Vietnamese lists sort by given name (the last word), then the family and middle names, each
    in the order of the Vietnamese alphabet (Dũng before Đức, Anh before Ân), tones last. The key is
    made of digits only, so SQLite and PostgreSQL, whatever their collation, order it the same."""
    words = nfc(full_name).split(" ")
    if not words or words == [""]:
        return ""
    primary, tones = [], []
    for word in [words[-1], *words[:-1]]:
        for letter, tone in _letters(word):
            position = _ALPHABET.find(letter)
            primary.append(
                f"{position + 10:02d}" if position >= 0 else f"{min(ord(letter) % 90, 89) + 10:02d}"
            )
            tones.append(str(tone))
        primary.append("00")  # a word ends before any letter: An before Anh
    return ("".join(primary) + "0" + "".join(tones))[:160]
