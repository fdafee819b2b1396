"""The leadership dashboards and the public transparency page in a real Chromium, on the
demo directory with a generated year of complaints: every level of the drill-down renders
its panels and charts, the map draws every district that has complaints and its legend, and
a district can be chosen. Screenshots (desktop size) go to test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from citizen_portal.accounts.models import Role
from citizen_portal.analytics.models import Flow, Scope, Slice
from citizen_portal.analytics.services.rebuild import rollups_rebuild
from citizen_portal.complaints.services.generator import GeneratorInput, complaints_generate
from citizen_portal.core import clock
from citizen_portal.directory.models import AdminUnit, Department, Office, Position, Tier
from citizen_portal.directory.services.demo import demo_seed
from citizen_portal.directory.services.loading import directory_load
from citizen_portal.directory.tests.factories import StaffFactory
from tests.browser.helpers import LANGUAGES, LOCALES, expect_no_english, shot, staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@pytest.fixture
def demo_year(db):
    """The demo directory and 1,200 complaints of the past year, with their figures."""
    directory_load()
    demo_seed()
    complaints_generate(
        data=GeneratorInput(
            citizens=400,
            complaints=1200,
            seed=3,
            anchor=clock.today(),
            batch_size=10_000,
            defer_indexes=False,
        )
    )
    rollups_rebuild()


def _drawn_districts(page: Page) -> set[str]:
    """The districts the map colours with a figure (ECharts' own series data): polygons of
    the map series, and the points of districts without a polygon."""
    return set(
        page.locator("[data-district-map]").first.evaluate(
            """element => {
                const chart = window.echarts.getInstanceByDom(element);
                const drawn = [];
                for (const series of chart.getOption().series) {
                    for (const item of series.data || []) {
                        const value = Array.isArray(item.value) ? item.value[2] : item.value;
                        if (typeof value === "number" && !Number.isNaN(value)) {
                            drawn.push(item.name);
                        }
                    }
                }
                return drawn;
            }"""
        )
    )


def _with_data() -> set[str]:
    """Districts with complaints lodged in the last 12 months (the page's period), by the
    rollups, that the map can place (a polygon or a point)."""
    from citizen_portal.analytics.geo import district_placements
    from citizen_portal.analytics.selectors.figures import months_back

    placed = {p.code for p in district_placements() if p.has_polygon or p.point}
    ids = (
        Flow.objects.filter(
            scope=Scope.NATION,
            slice=Slice.DISTRICT,
            day__gte=months_back(12).since,
            lodged__gt=0,
        )
        .exclude(slice_id=0)
        .values_list("slice_id", flat=True)
        .distinct()
    )
    codes = set(AdminUnit.objects.filter(pk__in=list(ids)).values_list("code", flat=True))
    return codes & placed


def _directory_words() -> list[str]:
    """Names from the directory that have no Urdu yet (offices and posts of the demo
    directory): data, not the portal's words, so allowed on an Urdu page."""
    names = list(Office.objects.values_list("name_en", flat=True))
    names += list(Position.objects.values_list("title_en", flat=True))
    names += list(Department.objects.values_list("name_en", flat=True))
    return names


def test_dashboards_and_the_public_page_in_english_and_urdu(
    browser: Browser, live_server, demo_year
):
    """One demo year (the slow part) for every page, in both languages."""
    for language in LANGUAGES:
        _leadership_drills_down_from_the_nation_to_a_post(browser, live_server, language)
        _the_public_transparency_page_needs_no_login(browser, live_server, language)


def _leadership_drills_down_from_the_nation_to_a_post(
    browser: Browser, live_server: Any, language: str
) -> None:
    written = _directory_words()
    analyst = StaffFactory(
        username=f"pmdu.analyst.{language}", role=Role.ANALYST, full_name="PMDU Analyst"
    )
    page = browser.new_page(viewport=DESKTOP, locale=LOCALES[language])
    staff_log_in(page, live_server.url, analyst, "/analytics/")
    if language == "ur":
        page.locator(
            "form.language-choice button[value=ur], form.language button[value=ur]"
        ).first.click()
    page.goto(live_server.url + "/analytics/nation/0/?preset=12m")
    expect(page.locator("h1")).to_be_visible()
    canvas = page.locator("[data-district-map] canvas")
    expect(canvas.first).to_be_visible()
    expect(page.locator("[data-chart='trend-chart'][data-drawn=true]")).to_be_visible()
    # Every district with complaints is coloured on the map (per 100,000 people: those with a
    # census population; overdue now: every one), and the legend names the points.
    with_data = _with_data()
    counted = set(
        AdminUnit.objects.filter(code__in=with_data, population__gt=0).values_list(
            "code", flat=True
        )
    )
    assert counted
    assert _drawn_districts(page) >= counted
    page.goto(live_server.url + "/analytics/nation/0/?preset=12m&metric=overdue_now")
    expect(canvas.first).to_be_visible()
    assert _drawn_districts(page) >= with_data
    expect(page.locator(".district-map-keys")).to_be_visible()
    shot(page, f"dashboard-nation-{language}")
    expect_no_english(page, language, written)

    # Down the drill: a government, its busiest department, an office, a post.
    tier = Tier.objects.get(code="punjab")
    page.goto(live_server.url + f"/analytics/tier/{tier.pk}/?preset=12m")
    expect(page.locator("[data-chart='trend-chart'][data-drawn=true]")).to_be_visible()
    shot(page, f"dashboard-tier-{language}")
    expect_no_english(page, language, written)
    with_offices = Office.objects.filter(positions__isnull=False).values("department_id")
    busiest = (
        Flow.objects.filter(scope=Scope.DEPARTMENT, slice=Slice.ALL, scope_id__in=with_offices)
        .order_by("-lodged")
        .values_list("scope_id", flat=True)
        .first()
    )
    assert busiest is not None
    page.goto(live_server.url + f"/analytics/department/{busiest}/?preset=12m")
    expect(page.locator("h2", has_text="Offices" if language == "en" else "دفاتر")).to_be_visible()
    shot(page, f"dashboard-department-{language}")
    expect_no_english(page, language, written)
    office = Office.objects.filter(department_id=busiest, positions__isnull=False).first()
    assert office is not None
    page.goto(live_server.url + f"/analytics/office/{office.pk}/?preset=12m")
    expect(page.locator("[data-chart='trend-chart'][data-drawn=true]")).to_be_visible()
    shot(page, f"dashboard-office-{language}")
    expect_no_english(page, language, written)
    post = Position.objects.filter(office=office).first()
    assert post is not None
    page.goto(live_server.url + f"/analytics/position/{post.pk}/?preset=12m")
    expect(page.locator("h1")).to_contain_text(post.title_en if language == "en" else "")
    shot(page, f"dashboard-position-{language}")
    expect_no_english(page, language, written)

    # A district from the map's table: the same panels, for that district only.
    page.goto(live_server.url + "/analytics/nation/0/?preset=12m")
    lahore = AdminUnit.objects.get(code="PK-PB-LHR-LHR")
    page.goto(live_server.url + f"/analytics/nation/0/?preset=12m&district={lahore.pk}")
    expect(page.locator("h1")).to_contain_text(
        lahore.name_en if language == "en" else lahore.name_ur
    )
    shot(page, f"dashboard-district-{language}")
    expect_no_english(page, language, written)
    page.close()


def _the_public_transparency_page_needs_no_login(
    browser: Browser, live_server: Any, language: str
) -> None:
    written = _directory_words()
    page = browser.new_page(viewport=DESKTOP, locale=LOCALES[language])
    page.goto(live_server.url + "/transparency/")
    if language == "ur":
        page.locator(
            "form.language-choice button[value=ur], form.language button[value=ur]"
        ).first.click()
    expect(page.locator("[data-district-map] canvas").first).to_be_visible()
    expect(page.locator("[data-chart='trend-chart'][data-drawn=true]")).to_be_visible()
    assert _drawn_districts(page)
    # The boundary file's attribution and its download, as its licence requires.
    expect(page.get_by_text("Pathways Data").first).to_be_attached()
    shot(page, f"transparency-{language}")
    expect_no_english(page, language, written)
    with page.expect_download() as download:
        page.locator("a[href*='data.csv']").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.close()
