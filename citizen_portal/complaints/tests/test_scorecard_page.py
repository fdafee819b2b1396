"""The scorecard at the top of the officer's inbox (templates/complaints/_scorecard.html):
every figure, in the language's number format, "—" where nothing can be measured yet, and a
layout that mirrors for Urdu."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.formats import number_format

from citizen_portal.complaints.selectors.performance import Scorecard, scorecard_for

PARTIAL = "complaints/_scorecard.html"


def card(**figures: object) -> Scorecard:
    values: dict[str, object] = {
        "since": date(2026, 9, 2),
        "until": date(2026, 11, 30),
        "received": 1234,
        "resolved": 20,
        "resolved_on_time": 18,
        "overdue_now": 1,
        "missed": 2,
        "reopened": 3,
        "median_days": 2.46,
        "p90_days": 7.0,
        "feedback": 10,
        "satisfied": 8,
        "average_rating": 4.3,
    }
    values.update(figures)
    return Scorecard(**values)  # type: ignore[arg-type]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_each_figure_shows_with_what_it_counts():
    shown = text_of(render_to_string(PARTIAL, {"scorecard": card()}))
    assert "Your scorecard" in shown
    assert "From 2 Sep 2026 to 30 Nov 2026" in shown
    assert "Received 1,234 complaints that reached your posts" in shown
    assert "Resolved on time 18 of 20 you resolved" in shown
    assert "Overdue 3 1 past due at your posts now; 2 missed and escalated" in shown
    assert "Reopened 3 your resolutions the citizen disputed" in shown
    assert "Median days to resolve 2.5" in shown
    assert "Satisfaction 80% satisfied, of 10 ratings by citizens; 4.3 stars on average" in shown


def test_overdue_and_reopened_figures_are_flagged_only_when_there_are_some():
    flagged = render_to_string(PARTIAL, {"scorecard": card()})
    assert flagged.count("figure-alert") == 2
    calm = render_to_string(PARTIAL, {"scorecard": card(overdue_now=0, missed=0, reopened=0)})
    assert "figure-alert" not in calm


@pytest.mark.django_db
def test_an_officer_with_nothing_yet_sees_zeros_and_dashes(world):
    shown = text_of(render_to_string(PARTIAL, {"scorecard": scorecard_for(world.officers.se)}))
    assert "Received 0 " in shown
    assert "Resolved on time 0 of 0 you resolved" in shown
    assert "Median days to resolve — " in shown
    assert "Satisfaction — no feedback yet on your resolutions" in shown


def test_one_rating_reads_in_the_singular():
    shown = text_of(render_to_string(PARTIAL, {"scorecard": card(feedback=1, satisfied=1)}))
    assert "100% satisfied, of 1 rating by citizens" in shown


def test_without_a_scorecard_nothing_is_shown():
    assert render_to_string(PARTIAL, {}).strip() == ""


def test_in_urdu_the_period_is_written_in_urdu_and_the_figures_stay_the_same():
    with translation.override("ur"):
        html = render_to_string(PARTIAL, {"scorecard": card()})
        # Urdu's own number format (Django has none for Urdu yet: the project's defaults).
        received = number_format(1234, use_l10n=True, force_grouping=True)
    assert "نومبر" in html  # November
    assert f'<dd class="value">{received}</dd>' in html
    assert "style=" not in html  # the CSP allows no inline styles


def test_the_styles_use_logical_properties_so_urdu_mirrors():
    css = (Path(settings.BASE_DIR) / "citizen_portal/static/css/scorecard.css").read_text()
    physical = re.compile(
        r"(margin|padding|border)-(left|right)|(float|text-align):\s*(left|right)"
    )
    assert not physical.search(css)


def test_the_inbox_shows_the_scorecard_right_under_its_heading():
    source = get_template("complaints/inbox.html").template.source  # type: ignore[attr-defined]
    heading = source.index("</h1>")
    assert source.index('{% include "complaints/_scorecard.html" %}') == heading + len("</h1>\n")
