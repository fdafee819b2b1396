"""Reading the message catalogues (ours and Django's) and the text a page shows, for the test
that finds English left on Urdu pages."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import django

OURS = Path(__file__).resolve().parents[2] / "locale" / "ur" / "LC_MESSAGES" / "django.po"
DJANGO = Path(django.__file__).resolve().parent


@dataclass
class Entry:
    msgid: str
    plural: str = ""
    context: str = ""
    translations: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def translated(self) -> bool:
        return not self.fuzzy and any(self.translations)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file as makemessages and Django write them (no obsolete ones)."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    flags = ""
    key = ""

    def flush() -> None:
        if "msgid" in fields:
            translations = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries.append(
                Entry(
                    msgid=fields["msgid"],
                    plural=fields.get("msgid_plural", ""),
                    context=fields.get("msgctxt", ""),
                    translations=translations,
                    fuzzy="fuzzy" in flags,
                )
            )

    for line in [*path.read_text("utf-8").splitlines(), ""]:
        if not line.strip():
            flush()
            fields, flags, key = {}, "", ""
        elif line.startswith("#,"):
            flags = line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            fields[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            fields[key] = ast.literal_eval(value)
    return [e for e in entries if e.msgid]


def django_catalogues(language: str) -> list[Path]:
    """Django's own catalogues (core and contrib apps) for `language`."""
    found = [DJANGO / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"]
    found += sorted(DJANGO.glob(f"contrib/*/locale/{language}/LC_MESSAGES/django.po"))
    return [path for path in found if path.exists()]


_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
_TAG = re.compile(r"<[^>]+>")
_EDGES = ' .,:;·—–()"“”‘’!?'


def _literal(msgid: str) -> str:
    """A msgid without its markup, in single spaces."""
    return " ".join(_TAG.sub(" ", msgid).split())


def _pattern(literal: str) -> re.Pattern[str]:
    """Text rendered from a msgid: the placeholders match anything."""
    parts = _PLACEHOLDER.split(literal)
    return re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)


class Catalogue:
    """English msgids with where they come from, and the Latin words Urdu translations keep
    on purpose (names of apps, acronyms such as SMS)."""

    def __init__(self) -> None:
        self.ours = read_po(OURS)
        self.django_en = [e for path in django_catalogues("en") for e in read_po(path)]
        urdu = [e for path in django_catalogues("ur") for e in read_po(path)] + self.ours
        self.kept_words = {
            word.lower() for e in urdu for t in e.translations for word in latin_words(t)
        }
        self._msgids = [
            (source, literal, _pattern(literal))
            for source, entries in (("ours", self.ours), ("django", self.django_en))
            for e in entries
            for literal in {_literal(e.msgid), _literal(e.plural)}
            if latin_words(_PLACEHOLDER.sub(" ", literal))
        ]

    def source(self, text: str) -> str:
        """Where English `text` comes from: "ours" (a msgid of our catalogue), "django" (a
        msgid of Django's, so one its Urdu catalogue lacks), or "none". A text may be a whole
        message or the piece of one between two tags."""
        piece = text.strip(_EDGES)
        for source, literal, pattern in self._msgids:
            whole = pattern.fullmatch(text) or (len(literal) > 15 and pattern.search(text))
            if whole or (len(piece) > 20 and piece in literal):
                return source
        return "none"


_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]")
# Not words: references (PB-2026-0000001-Q), e-mail addresses, addresses of pages, acronyms.
_NOT_WORDS = re.compile(
    r"\b[A-Z]{2}-\d{4}-\d{7}-[A-Z]\b|\S+@\S+|https?://\S+|/\S*|\b[A-Z]{2,6}s?\b"
)


def latin_words(text: str) -> list[str]:
    return _WORD.findall(_NOT_WORDS.sub(" ", text))


SKIPPED = {"script", "style", "template"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
SHOWN_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "aria-description")


class VisibleText(HTMLParser):
    """The text a person sees or hears on a page, in the page's own language: text nodes, the
    attributes read out or shown (alt, title, placeholder, labels, button values), and the
    sentences in JSON blocks that scripts show (pwa.js's messages). Elements marked as another
    language (lang="en" on the language switch) are left out."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, whether it is left out)
        self.texts: list[str] = []
        self.json: list[str] | None = None  # the text of a JSON block being read

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        skipped = (
            self._skipped()
            or tag in SKIPPED
            or (tag != "html" and lang is not None and not lang.startswith(self.language))
        )
        if not skipped:
            for name in SHOWN_ATTRIBUTES:
                self._add(values.get(name))
            if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
                self._add(values.get("value"))
        if tag == "script" and values.get("type") == "application/json" and not self._skipped():
            self.json = []
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.json is not None:
            self._sentences(json.loads("".join(self.json) or "null"))
            self.json = None
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if self.json is not None:
            self.json.append(data)
        elif not self._skipped():
            self._add(data)

    def _sentences(self, value: object) -> None:
        """Strings with a space in them: words for people, not keys, addresses or codes."""
        if isinstance(value, str) and " " in value.strip():
            self._add(value)
        elif isinstance(value, dict):
            for item in value.values():
                self._sentences(item)
        elif isinstance(value, list):
            for item in value:
                self._sentences(item)

    def _add(self, text: str | None) -> None:
        text = " ".join((text or "").split())
        if text:
            self.texts.append(text)


def visible_texts(html: str, language: str) -> list[str]:
    parser = VisibleText(language)
    parser.feed(html)
    parser.close()
    return parser.texts
