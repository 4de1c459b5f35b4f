"""Swedish is the source language; the English catalogue must translate every string."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text):
    """Yield (msgid, [msgstr…], flags) for each entry of a .po file."""
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"') and current:
                fields[current] += line[1:-1]
                continue
            key, _, value = line.partition(" ")
            current = key
            fields[key] = value[1:-1]
        if fields.get("msgid"):
            yield fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], flags


def test_every_string_has_an_english_translation():
    untranslated = [msgid for msgid, msgstrs, _ in _entries(CATALOGUE.read_text(encoding="utf-8")) if not all(msgstrs)]
    assert untranslated == []


def test_no_translation_is_left_fuzzy():
    fuzzy = [msgid for msgid, _, flags in _entries(CATALOGUE.read_text(encoding="utf-8")) if "fuzzy" in flags]
    assert fuzzy == []


def test_compiled_catalogue_matches_its_source():
    """A .po edited without `make messages` would show Swedish to English readers."""
    import gettext

    with CATALOGUE.with_suffix(".mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    stale = [
        msgid
        for msgid, msgstrs, _ in _entries(CATALOGUE.read_text(encoding="utf-8"))
        if len(msgstrs) == 1 and translations.gettext(_unescape(msgid)) != _unescape(msgstrs[0])
    ]
    assert stale == []


def _unescape(value):
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    out, chars = [], iter(value)
    for char in chars:
        out.append(escapes.get(next(chars, ""), "") if char == "\\" else char)
    return "".join(out)
