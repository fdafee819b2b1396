"""The Urdu catalogue is complete, and the compiled file the server reads matches it."""

import ast
import gettext
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "ur" / "LC_MESSAGES"


def _entries() -> list[dict[str, object]]:
    """A small reader for the .po format: enough for the files makemessages writes."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {"flags": ""}
    key = None
    for line in [*(CATALOGUE / "django.po").read_text("utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in current:
                entries.append(current)
            current, key = {"flags": ""}, None
        elif line.startswith("#,"):
            current["flags"] = line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] = str(current[key]) + ast.literal_eval(line)  # type: ignore[index]
        else:
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    return entries


def test_every_string_has_an_urdu_translation_that_is_not_fuzzy():
    entries = [e for e in _entries() if e["msgid"]]
    assert len(entries) > 200
    untranslated = [e["msgid"] for e in entries if not (e.get("msgstr") or e.get("msgstr[0]"))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in str(e["flags"])]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_up_to_date():
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _entries():
        if not entry["msgid"] or "msgid_plural" in entry:
            continue
        context = entry.get("msgctxt")
        found = (
            compiled.pgettext(str(context), str(entry["msgid"]))
            if context is not None
            else compiled.gettext(str(entry["msgid"]))
        )
        if found != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert stale == [], "run `make messages` to recompile django.mo"
