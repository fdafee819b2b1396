"""Every date a page or a message shows names one of the language's formats
(citizen_portal/formats/), never a fixed pattern: "j M Y" written into a template gives
English readers and Urdu readers the same shape, whatever each language's format module says.
Machine formats (ISO 8601 for <time datetime>) are the exception."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
NAMED = {
    "DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT", "YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT",
}  # fmt: skip
MACHINE = {"c"}  # ISO 8601, for <time datetime="…">
TEMPLATE_FILTER = re.compile(r"""\|(?:date|time):(["'])(.*?)\1""")
# The format argument after the value, which may itself be a call: date_format(clock.today(), …).
PYTHON_CALL = re.compile(
    r"""\b(?:date_format|time_format)\((?:[^()]|\([^()]*\))*?,\s*(["'])(.*?)\1"""
)


def _fixed(pattern: re.Pattern[str], paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            for match in pattern.finditer(line):
                if match.group(2) not in NAMED | MACHINE:
                    found.append(f"{path.relative_to(PACKAGE)}:{number}: {match.group(2)!r}")
    return found


def test_no_template_writes_a_date_in_a_fixed_pattern():
    templates = [
        path
        for path in PACKAGE.rglob("*")
        if path.suffix in {".html", ".txt"} and "templates" in path.parts
    ]
    assert len(templates) > 50
    assert _fixed(TEMPLATE_FILTER, templates) == []


def test_no_python_code_formats_a_date_for_display_with_a_fixed_pattern():
    modules = [
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    assert _fixed(PYTHON_CALL, modules) == []
