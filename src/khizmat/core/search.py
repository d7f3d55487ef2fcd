"""Cross-script search keys: «Бахмал», "Baxmal" and "Bakhmal" meet on one key.

alifbo folds Uzbek Cyrillic, the current Latin (with every apostrophe variant) and the new Latin alphabet to one
key; it does not know Kyrgyz letters (ң ө ү), and it keeps the Uzbek letters that Russian and English spellings
write differently. This module is the only place that calls it, so the rules live in one function.
"""

import re
import unicodedata
from functools import lru_cache

from alifbo import fold_search_key

# Kyrgyz Cyrillic letters alifbo does not know, spelled as Kyrgyz Latin transliteration does.
_KYRGYZ = str.maketrans({"ң": "нг", "Ң": "НГ", "ө": "о", "Ө": "О", "ү": "у", "Ү": "У"})
# After folding: letters that Latin spellings of the same name write in several ways.
_LOOSE = [
    ("ş", "sh"),
    ("ç", "ch"),
    ("ğ", "g"),
    ("ö", "o"),
    ("ü", "u"),
    ("kh", "x"),  # English "Bakhmal" for Uzbek "Baxmal"
    ("ts", "s"),
    ("y", "i"),  # Kyrgyz ы is "y" in Latin and "i" after folding; Uzbek й/ё/ю/я vary too
    ("j", "dj"),
    ("ddj", "dj"),
]
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_DOUBLED = re.compile(r"(\w)\1+")


def search_key(text: str | None) -> str:
    """Return the folded key of ``text``; equal keys mean "the same name in another script or spelling"."""
    if not text:
        return ""
    return _folded(str(text))


@lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    # Names repeat (streets, villages, common surnames) and folding costs ~25 µs per character: cache the keys.
    key = fold_search_key(text.translate(_KYRGYZ))
    for old, new in _LOOSE:
        key = key.replace(old, new)
    key = unicodedata.normalize("NFKD", key)
    key = "".join(ch for ch in key if not unicodedata.combining(ch))
    key = _DOUBLED.sub(r"\1", key)  # "Issyk" and «Ысык», "Jizzax" and "Djizak" spell doubles both ways
    return _NOT_WORD.sub(" ", key).strip()


def search_keys(*texts: str | None) -> str:
    """Join the keys of several spellings (all translations and known aliases) into one searchable column."""
    keys: list[str] = []
    for text in texts:
        key = search_key(text)
        if key and key not in keys:
            keys.append(key)
    return "|" + "|".join(keys) + "|" if keys else ""
