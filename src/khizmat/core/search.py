"""Cross-script search keys: «Бахмал», "Baxmal" and "Bakhmal" meet on one key.

alifbo folds Uzbek Cyrillic, the current Latin (with every apostrophe variant) and the new Latin alphabet to one
key; it does not know Kyrgyz letters (ң ө ү), and it keeps the Uzbek letters that Russian and English spellings
write differently. This module is the only place that calls it, so the rules live in one function: Kyrgyz is folded
as Uzbek is (Жумабаев, Jumabaev and Zhumabaev; Үсөн and Usön; Джизак and Dzhizak), and so are the letters Russian
spellings of Uzbek names merge (қ and к, ҳ and х: Қосимов and Kosimov, Ҳасанов and Khasanov).

Changing the folding changes the stored keys: add a migration that runs :func:`refresh_search_keys` (see
``core/migrations``), so that rows saved before the change are found again.
"""

import re
import unicodedata
from functools import lru_cache

from alifbo import fold_search_key
from django.db.models import Case, IntegerField, Q, Value, When

# Kyrgyz Cyrillic letters alifbo does not know, spelled as Kyrgyz Latin transliteration does.
_KYRGYZ = str.maketrans({"ң": "нг", "Ң": "НГ", "ө": "о", "Ө": "О", "ү": "у", "Ү": "У", "ñ": "ng", "Ñ": "Ng"})
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
    ("dzh", "j"),  # Russian-style Latin "Dzhizak", "Dzhumabaev"
    ("zh", "j"),  # "Zhumabaev" for Kyrgyz Жумабаев ("Jumabaev")
    ("j", "dj"),
    ("ddj", "dj"),
    ("q", "k"),  # Uzbek қ/q is к/k in Russian spellings: "Қосимов", "Qosimov", "Kosimov"
]
# Uzbek ҳ/h and х/x are one Russian х ("Ҳасанов", "Hasanov", "Xasanov", "Khasanov"); "sh" and "ch" keep their h.
_H = re.compile(r"(?<![sc])h")
# alifbo writes е after a vowel as "ye" (Жумабаев → "...ayev"); Latin spellings write "ae" as often as "aye".
_VOWEL_YE = re.compile(r"([aeiou])ie")
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
    key = _VOWEL_YE.sub(r"\1e", _H.sub("x", key))
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


def key_words(query: str | None) -> list[str]:
    """The folded words of a query, each once, in order."""
    return list(dict.fromkeys(search_key(query).split()))


def key_condition(field: str, query: str | None, *, min_length: int = 2) -> tuple[Q, Case] | None:
    """The filter "``field`` (a :func:`search_keys` column) holds every word of ``query``, in any order" and the
    rank of a match: 0 for a whole spelling equal to the query, 1 for a spelling that starts with it, 2 when each
    word starts a word of the name, 3 when the words are only found inside. None when the query is too short."""
    key = search_key(query)
    if len(key) < min_length:
        return None
    contains = f"{field}__contains"
    every_word = Q()
    every_word_start = Q()
    for word in dict.fromkeys(key.split()):
        every_word &= Q(**{contains: word})
        every_word_start &= Q(**{contains: f"|{word}"}) | Q(**{contains: f" {word}"})
    rank = Case(
        When(Q(**{contains: f"|{key}|"}), then=Value(0)),
        When(Q(**{contains: f"|{key}"}), then=Value(1)),
        When(every_word_start, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return every_word, rank


def key_match(queryset, field: str, query: str | None, *, min_length: int = 2):
    """The rows of :func:`key_condition`, annotated with ``search_rank``: order by it first, so that a common name
    does not push the wanted row off the first page. Too short a query matches nothing."""
    found = key_condition(field, query, min_length=min_length)
    if found is None:
        return queryset.none()
    condition, rank = found
    return queryset.filter(condition).annotate(search_rank=rank)
