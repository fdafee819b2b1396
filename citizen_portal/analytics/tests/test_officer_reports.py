"""Officers' performance pages (analytics/views_officers.py): the list, one officer's report
and its PDF. Over-billing in Lahore goes to the Superintending Engineer (SE), under the CEO;
the SE resolves two complaints (one disputed), drops one and lets one run out of time."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from citizen_portal.accounts.models import Role
from citizen_portal.analytics.selectors.officer_report import officer_report
from citizen_portal.analytics.services.officer_pdf import report_pdf
from citizen_portal.complaints.models import DropReason
from citizen_portal.complaints.selectors.performance import period_of, scorecard_for
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
)
from citizen_portal.complaints.services.officer_actions import complaint_drop, complaint_resolve
from citizen_portal.complaints.services.sweeps import sweep_deadlines
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.tests.factories import StaffFactory, TierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(world, travel):
    se = world.officers.se
    a, b, c, d = (lodge(world) for _ in range(4))
    for complaint in (a, b):
        complaint_resolve(complaint=complaint, officer=se, remark="Meter replaced; bill fixed.")
    complaint_give_feedback(
        complaint=a, citizen=world.citizen, data=FeedbackInput(satisfied=True, rating=5)
    )
    complaint_give_feedback(
        complaint=b, citizen=world.citizen, data=FeedbackInput(satisfied=False, rating=1)
    )
    complaint_drop(
        complaint=c,
        officer=se,
        reason=DropReason.SUB_JUDICE,
        explanation="The bill is the subject of a case before the civil court.",
    )
    travel(days=20)
    sweep_deadlines()  # D is escalated to the CEO: a missed deadline for the SE
    return SimpleNamespace(a=a.reference, b=b.reference, c=c.reference, d=d.reference)


def report_url(officer, query="", pdf=False):
    name = "analytics:officer_report_pdf" if pdf else "analytics:officer_report"
    return reverse(name, args=[officer.pk]) + (f"?{query}" if query else "")


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refs(figure):
    return {item.reference for item in figure.complaints}


def test_the_report_shows_the_scorecards_numbers_and_the_complaints_behind_each(world, season):
    se = world.officers.se
    response = as_user(se).get(report_url(se))
    assert response.status_code == 200
    report = response.context["report"]
    card = scorecard_for(se)
    assert report.card == card
    values = {f.key: f.value for f in report.figures}
    assert values == {
        "received": card.received,
        "resolved": card.resolved,
        "on_time": card.resolved_on_time,
        "overdue_now": card.overdue_now,
        "escalated": card.missed,
        "dropped": 1,
        "reopened": card.reopened,
        "satisfied": card.satisfied,
    }
    assert (card.received, card.resolved, card.missed, card.reopened) == (4, 2, 1, 1)
    assert refs(report.figure("received")) == {season.a, season.b, season.c, season.d}
    assert refs(report.figure("resolved")) == refs(report.figure("on_time")) == {season.a, season.b}
    assert refs(report.figure("escalated")) == {season.d}
    assert refs(report.figure("dropped")) == {season.c}
    assert refs(report.figure("reopened")) == {season.b}
    assert refs(report.figure("satisfied")) == {season.a}
    page = response.content.decode()
    assert "The matter is before a court (sub judice)" in page
    assert "Score" in page
    assert "Expected from peers" in page
    # WASA's Lahore office, the only other department's office in the SE's district, had
    # nothing to compare: the area changes nothing, and the page says so.
    assert "no office of another department in this" in page
    # No citizen's name, phone number or words.
    for private in ("Ayesha Khan", "+923001112233", "Bill three times the usual"):
        assert private not in page


def test_a_reference_links_to_the_complaint_only_where_the_reader_may_open_it(world, season):
    se = world.officers.se
    own = as_user(se).get(report_url(se)).content.decode()
    work = reverse("complaints:work_detail", args=[season.a])
    assert f'href="{work}"' in own  # resolved, still at the SE's post
    escalated = reverse("complaints:work_detail", args=[season.d])
    assert season.d in own
    assert f'href="{escalated}"' not in own  # now with the CEO
    supervisor = as_user(world.officers.ceo).get(report_url(se)).content.decode()
    assert f'href="{escalated}"' in supervisor


def test_the_pdf_opens_and_lists_the_complaints_behind_each_figure(world, season):
    se = world.officers.se
    response = as_user(world.officers.ceo).get(report_url(se, pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Officer performance report" in text
    assert str(se) in text
    for reference in (season.a, season.b, season.c, season.d):
        assert reference in text
    for heading in ("Received: 4", "Escalated (deadline missed): 1", "Dropped: 1"):
        assert heading in text
    assert "How the score is worked out" in text
    assert "The area: no office of another department" in text
    assert "Ayesha Khan" not in text
    assert "+923001112233" not in text


def test_the_pdf_prints_in_urdu_too(world, season):
    se = world.officers.se
    with translation.override("ur"):
        report = officer_report(se, se, period_of())
        content = report_pdf(report, language="ur")
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert season.d in text


@pytest.mark.parametrize("who", ["ceo", "focal", "se", "analyst"])
def test_leadership_supervisors_the_focal_person_and_the_officer_may_open_the_report(
    world, season, who
):
    viewer = (
        StaffFactory(username="pmdu", role=Role.ANALYST, scope_tier=world.tier)
        if who == "analyst"
        else getattr(world.officers, who)
    )
    client = as_user(viewer)
    assert client.get(report_url(world.officers.se)).status_code == 200
    assert client.get(report_url(world.officers.se, pdf=True)).status_code == 200


def test_everyone_else_is_told_the_report_does_not_exist(world, season):
    sindh = TierFactory(code="sindh", reference_prefix="SD", name_en="Sindh")
    outsiders = [
        world.stranger,  # an officer of another department
        world.citizen,
        StaffFactory(username="sindh.analyst", role=Role.ANALYST, scope_tier=sindh),
        StaffFactory(username="agent", role=Role.AGENT),
    ]
    for outsider in outsiders:
        client = as_user(outsider)
        assert client.get(report_url(world.officers.se)).status_code == 404
        assert client.get(report_url(world.officers.se, pdf=True)).status_code == 404
        # Bad dates do not tell whether the officer exists either.
        assert client.get(report_url(world.officers.se, "since=nonsense")).status_code == 404
    # A subordinate may not read their supervisor's report; nobody reads a citizen's.
    assert as_user(world.officers.se).get(report_url(world.officers.ceo)).status_code == 404
    assert as_user(world.officers.ceo).get(report_url(world.citizen)).status_code == 404
    assert Client().get(report_url(world.officers.se)).status_code == 302  # to the login


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2026-13-45", "Enter the date as YYYY-MM-DD"),
        ("since=2025-03-01&until=2025-01-01", "The period cannot start after it ends."),
        ("until=2999-01-01", "The period cannot end after today."),
        ("since=2020-01-01&until=2024-01-01", "Ask for 366 days at most."),
        ("since=1999-12-31", "The period cannot start before 2000-01-01."),
    ],
)
def test_bad_dates_are_explained_not_an_error_page(world, query, message):
    se = world.officers.se
    client = as_user(se)
    for url in (report_url(se, query), report_url(se, query, pdf=True)):
        response = client.get(url)
        assert response.status_code == 400
        assert message in response.content.decode()
    listed = client.get(reverse("analytics:officers") + f"?{query}")
    assert listed.status_code == 400
    assert message in listed.content.decode()


def test_a_chosen_period_is_the_reports_period(world, season):
    se = world.officers.se
    since, until = period_of().since, period_of().until
    response = as_user(se).get(report_url(se, f"since={since}&until={until}"))
    assert response.context["report"].period == period_of(since, until)
    # The days before anything happened: nothing received, nothing scored.
    earlier = as_user(se).get(report_url(se, "since=2020-01-01&until=2020-12-31"))
    assert earlier.status_code == 200
    assert earlier.context["report"].card.received == 0
    assert earlier.context["report"].score.score is None


def test_the_list_shows_the_officers_the_viewer_may_see_best_score_first(world, season):
    analyst = StaffFactory(username="pmdu", role=Role.ANALYST, scope_tier=world.tier)
    response = as_user(analyst).get(reverse("analytics:officers") + f"?department={world.lesco.pk}")
    assert response.status_code == 200
    rows = response.context["listing"].rows
    officers = [row.officer for row in rows]
    assert world.officers.se in officers
    assert world.officers.ceo in officers
    assert world.stranger not in officers  # another department
    scores = [row.score.score for row in rows if row.score.score is not None]
    assert scores == sorted(scores, reverse=True)
    se_row = next(row for row in rows if row.officer == world.officers.se)
    assert se_row.card == scorecard_for(world.officers.se)
    assert se_row.dropped == 1
    page = response.content.decode()
    assert report_url(world.officers.se) in page

    # An officer sees themself and the posts below theirs, not their supervisor.
    mine = as_user(world.officers.se).get(reverse("analytics:officers"))
    assert [row.officer for row in mine.context["listing"].rows] == [world.officers.se]


def test_the_list_refuses_citizens_and_explains_a_department_outside_reach(world):
    assert as_user(world.citizen).get(reverse("analytics:officers")).status_code == 404
    other = as_user(world.stranger).get(
        reverse("analytics:officers") + f"?department={world.lesco.pk}"
    )
    assert other.status_code == 400
    assert "Choose a department from the list." in other.content.decode()
    garbage = as_user(world.stranger).get(reverse("analytics:officers") + "?office=abc")
    assert garbage.status_code == 400


def test_the_report_costs_the_same_queries_however_many_complaints_are_behind_it(world, season):
    se, client = world.officers.se, as_user(world.officers.ceo)
    client.get(report_url(se))  # the session and caches settle
    with CaptureQueriesContext(connection) as before:
        client.get(report_url(se))
    for _ in range(5):
        complaint_resolve(complaint=lodge(world), officer=se, remark="Meter replaced; bill fixed.")
    with CaptureQueriesContext(connection) as after:
        response = client.get(report_url(se))
    assert response.context["report"].card.resolved == 7
    assert len(after) == len(before)
    assert len(after) < 60
