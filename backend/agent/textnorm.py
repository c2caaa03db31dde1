"""Unicode hygiene for patient text: what the safety cascade sees must be what a reader sees.

Attackers hide instructions from pattern and embedding checks with invisible characters (zero-width
spaces, bidi overrides), compatibility forms (fullwidth letters) and homoglyphs (Cyrillic ``а`` for
Latin ``a``). ``clean_text`` removes the invisible parts before anything is stored or checked;
``skeleton`` folds homoglyphs for the safety check only, so stored text keeps its letters.
"""

from __future__ import annotations

import re
import unicodedata

# Cf (format) characters: zero-width space/joiners, bidi embeddings/overrides/isolates, BOM, soft hyphen.
_KEEP_CONTROLS = {"\n", "\r", "\t"}

# Common Cyrillic and Greek letters that render like Latin ones (Unicode confusables, lowercase and upper).
_CONFUSABLES = str.maketrans(
    "аеорсхуіјѕԁһӏԛԝАВЕКМНОРСТХУІЈЅԌαορτυνχκιΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcxyijsdhlqwABEKMHOPCTXYIJSGaoptuvxkiABEZHIKMNOPTYX",
)
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC_OR_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")


def clean_text(text: str) -> str:
    """NFKC-normalise and drop invisible format and control characters (NUL included)."""
    normalised = unicodedata.normalize("NFKC", text)
    return "".join(
        char
        for char in normalised
        if char in _KEEP_CONTROLS or unicodedata.category(char) not in ("Cf", "Cc", "Cs", "Co")
    )


def skeleton(text: str) -> str:
    """Fold Cyrillic/Greek look-alikes into Latin when the text mixes scripts (text for checks only)."""
    if _LATIN.search(text) and _CYRILLIC_OR_GREEK.search(text):
        return text.translate(_CONFUSABLES)
    return text
