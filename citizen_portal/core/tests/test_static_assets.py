"""The vendored Urdu fonts and the stylesheet: every font the CSS names is there as WOFF2 with
its licence, each swaps in without blocking text, English pages never ask for one, and the
stylesheet uses logical properties only, so that Urdu mirrors by itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

STATIC = Path(__file__).resolve().parents[2] / "static"
CSS = (STATIC / "css" / "portal.css").read_text("utf-8")
ROOT = Path(__file__).resolve().parents[3]


def _font_faces() -> list[str]:
    return re.findall(r"@font-face\s*{([^}]*)}", CSS)


def test_every_font_face_is_a_vendored_woff2_that_swaps_in():
    faces = _font_faces()
    assert len(faces) == 4  # Nastaliq and Naskh, regular and bold
    for face in faces:
        assert "font-display: swap" in face
        assert "unicode-range: U+0600-06FF" in face
        (url,) = re.findall(r'url\("\.\./([^"]+)"\)', face)
        font = STATIC / url
        assert font.read_bytes()[:4] == b"wOF2", url
        assert (font.parent / "OFL.txt").read_text("utf-8").startswith("Copyright")


def test_the_fonts_are_named_only_for_urdu():
    rules = re.findall(r"([^{}]+){([^}]*)}", re.sub(r"/\*.*?\*/", "", CSS, flags=re.S))
    for selector, body in rules:
        if "Nastaliq" in body or "Naskh" in body:
            assert "@font-face" in selector or 'html[lang="ur"]' in selector, selector


def test_the_notice_names_the_fonts_and_axe():
    notice = (ROOT / "NOTICE").read_text("utf-8")
    assert "Noto Nastaliq Urdu" in notice
    assert "Noto Naskh Arabic" in notice
    assert "SIL Open Font License" in notice
    assert "axe-core" in notice
    assert "MPL-2.0" in notice or "Mozilla Public License" in notice
    axe = ROOT / "tests" / "browser" / "vendor" / "axe-core"
    assert (axe / "axe.min.js").read_text("utf-8").startswith("/*! axe v4.")
    assert (axe / "LICENSE").read_text("utf-8").startswith("Mozilla Public License")


PHYSICAL = re.compile(
    r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:"
    r"|text-align\s*:\s*(left|right)|float\s*:\s*(left|right)|clear\s*:\s*(left|right)"
)


def test_the_stylesheet_uses_logical_properties_only():
    found = [line.strip() for line in CSS.splitlines() if PHYSICAL.search(line)]
    assert found == []


@pytest.mark.django_db
def test_no_page_preloads_a_font():
    for language in ("en", "ur"):
        client = Client()
        client.cookies["portal_language"] = language
        page = client.get("/").content.decode()
        assert 'as="font"' not in page
        assert ".woff2" not in page
