"""The committed catalogs hold every message that extraction finds.

A message extraction does not find (a gettext alias such as ``_lazy``) never reaches the translators; a message
it finds but the catalogs lack shows in English. The test runs ``makemessages`` as the Makefile's ``messages``
target does (same ignores) over a copy of the sources, then compares its template with the committed Kyrgyz
catalog. After new strings land, ``make messages`` and their translations make it pass again.
"""

import re
import shutil
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

import khizmat

PACKAGE = Path(khizmat.__file__).parent
IGNORES = ["tests/*", "*/tests/*", "static/*", "*/demo.py", "demo/*"]
_LINE = re.compile(r'^(?:(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(.*)"$')


def po_messages(text: str) -> set[tuple[str, str]]:
    """The (context, msgid) pairs of a .po/.pot file, obsolete ``#~`` entries left out."""
    messages: set[tuple[str, str]] = set()
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = _LINE.match(line.strip()) if not line.startswith("#") else None
            if match:
                key = match.group(1) or key
                fields[key] = fields.get(key, "") + match.group(2)
        if fields.get("msgid"):
            messages.add((fields.get("msgctxt", ""), fields["msgid"]))
    return messages


def extracted_messages(tmp_path: Path, monkeypatch) -> set[tuple[str, str]]:
    copy = tmp_path / "khizmat"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns(
            "static", "locale", "__pycache__", "tests", "*.mo", "*.po", "*.png", "*.ttf"
        ),
    )
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command(
            "makemessages",
            locale=["ky"],
            ignore_patterns=IGNORES,
            no_location=True,
            keep_pot=True,
            verbosity=0,
        )
    return po_messages((copy / "locale" / "django.pot").read_text(encoding="utf-8"))


def test_po_parser_reads_contexts_plurals_and_continued_lines():
    text = (
        'msgid ""\nmsgstr ""\n"Language: ky\\n"\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "Май"\n\n'
        'msgid ""\n"Long "\n"message"\nmsgid_plural "many"\nmsgstr[0] "x"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Жок"\n'
    )
    assert po_messages(text) == {("month", "May"), ("", "Long message")}


def test_every_extracted_message_is_in_the_catalogs(tmp_path, monkeypatch):
    extracted = extracted_messages(tmp_path, monkeypatch)
    assert ("", "Work recorded.") in extracted  # the former ``_lazy`` alias is seen by extraction
    for language in ("ky", "uz", "uz_Cyrl", "ru"):
        catalog = po_messages(
            (PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po").read_text("utf-8")
        )
        missing = sorted(msgid for context, msgid in extracted - catalog)
        assert not missing, f"{language}: run `make messages` and translate: {missing}"
