"""GET /metrics as Prometheus reads it: requests counted by route name, background tasks, SMS
and e-mail by outcome, the queue and overdue complaints read at scrape time, and nobody but
the monitoring addresses (or the token's holder) let in.

Counters live for the whole test process, so each test compares a scrape before and after."""

from __future__ import annotations

import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY
from prometheus_client.parser import text_string_to_metric_families

from citizen_portal.analytics.services.rollups import rollups_refresh
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.notifications.models import SmsMessage
from citizen_portal.notifications.services.sms_delivery import sms_attempt, sms_queue
from citizen_portal.notifications.tasks import deliver_email

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: Client | None = None) -> tuple[str, Samples]:
    response = (client or Client()).get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    samples = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    return text, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def empty_schedule():
    """A failed task with retries left waits in huey's schedule (in memory here): emptied after,
    so that no other test finds it."""
    yield
    HUEY.storage.flush_schedule()


@pytest.mark.django_db
def test_requests_are_counted_and_timed_by_route_name_never_by_address(client, world):
    complaint = lodge(world)
    client.force_login(world.citizen)
    _, before = scrape()
    for _ in range(3):
        assert client.get("/livez").status_code == 200
    assert client.get(f"/complaints/{complaint.reference}/").status_code == 200
    assert client.get("/no/such/page/").status_code == 404
    text, after = scrape()

    def rise(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    total = "portal_http_requests_total"
    assert rise(total, method="GET", route="core:livez", status="200") == 3
    assert rise(total, method="GET", route="complaints:detail", status="200") == 1
    assert rise(total, method="GET", route="unmatched", status="404") == 1
    duration = "portal_http_request_duration_seconds_count"
    assert rise(duration, method="GET", route="complaints:detail") == 1
    assert complaint.reference not in text
    assert "/complaints/" not in text


@pytest.mark.django_db
def test_a_method_nobody_uses_is_counted_as_other(client):
    _, before = scrape()
    client.generic("BREW", "/livez")
    _, after = scrape()
    labels = {"method": "other", "route": "core:livez", "status": "405"}
    assert value(after, "portal_http_requests_total", **labels) == (
        value(before, "portal_http_requests_total", **labels) + 1
    )
    assert not any(dict(key[1]).get("method") == "BREW" for key in after)


@pytest.mark.django_db
def test_a_failing_task_raises_the_failure_counter(settings, empty_schedule):
    # A real SMTP connection to a port where nothing listens: refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    _, before = scrape()
    deliver_email("citizen@example.com", "Your complaint", "It was resolved.")
    _, after = scrape()
    for name, labels in [
        ("portal_task_failures_total", {"task": "deliver_email"}),
        ("portal_tasks_total", {"task": "deliver_email", "outcome": "error"}),
        ("portal_emails_sent_total", {"outcome": "failed"}),
    ]:
        assert value(after, name, **labels) == value(before, name, **labels) + 1, name


@pytest.mark.django_db
def test_a_sent_email_counts_as_sent_and_its_task_as_complete(smtp_server):
    _, before = scrape()
    deliver_email("citizen@example.com", "Your complaint", "It was resolved.")
    _, after = scrape()
    assert len(smtp_server) == 1
    for name, labels in [
        ("portal_emails_sent_total", {"outcome": "sent"}),
        ("portal_tasks_total", {"task": "deliver_email", "outcome": "complete"}),
    ]:
        assert value(after, name, **labels) == value(before, name, **labels) + 1, name
    assert value(after, "portal_task_failures_total", task="deliver_email") == value(
        before, "portal_task_failures_total", task="deliver_email"
    )


@pytest.mark.django_db
def test_sms_attempts_are_counted_by_outcome(settings, sms_gateway):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = sms_gateway.url + "/send"
    settings.SMS_GATEWAY_TIMEOUT = 2
    sms_gateway.script = [(503, 0, {}), (400, 0, {"error": "invalid number"})]
    _, before = scrape()
    # Queued in this test's transaction, which never commits: each attempt is made here.
    busy = sms_queue(to="+923001234567", body="code 123456", purpose=SmsMessage.Purpose.CODE)
    refused = sms_queue(to="+923001234568", body="code 654321", purpose=SmsMessage.Purpose.CODE)
    sent = sms_queue(to="+923001234569", body="code 111111", purpose=SmsMessage.Purpose.CODE)
    assert sms_attempt(busy.pk) == SmsMessage.Status.QUEUED
    assert sms_attempt(refused.pk) == SmsMessage.Status.FAILED
    assert sms_attempt(sent.pk) == SmsMessage.Status.SENT
    _, after = scrape()
    for outcome in ("retry", "failed", "sent"):
        name = "portal_sms_sent_total"
        assert value(after, name, outcome=outcome) == value(before, name, outcome=outcome) + 1


@pytest.mark.django_db
def test_overdue_complaints_and_queue_depth_are_read_at_scrape_time(world, travel):
    for _ in range(2):
        lodge(world)  # over-billing: 10 working days
    rollups_refresh()
    _, samples = scrape()
    assert value(samples, "portal_complaints_overdue") == 0
    assert value(samples, "portal_task_queue_depth") == 0  # tasks run inline in tests
    travel(days=30)
    _, samples = scrape()
    assert value(samples, "portal_complaints_overdue") == 2


@pytest.mark.django_db
def test_reading_the_overdue_figure_costs_one_query_whatever_the_number_of_complaints(
    world, django_assert_num_queries
):
    for _ in range(3):
        lodge(world)
    rollups_refresh()
    with django_assert_num_queries(1):
        scrape()


@pytest.mark.django_db
def test_other_addresses_get_the_ordinary_not_found_page(settings):
    settings.METRICS_TOKEN = ""
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    assert stranger.get("/metrics").status_code == 404
    assert stranger.post("/metrics").status_code == 404
    page, unknown = stranger.get("/metrics"), stranger.get("/no/such/page/")
    assert [t.name for t in page.templates] == [t.name for t in unknown.templates]
    assert b"portal_" not in page.content


@pytest.mark.django_db
def test_a_monitoring_network_may_be_allowed(settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "10.20.0.0/16"]
    scrape(Client(REMOTE_ADDR="10.20.3.4"))
    assert Client(REMOTE_ADDR="10.21.3.4").get("/metrics").status_code == 404


@pytest.mark.django_db
def test_the_token_lets_a_scraper_in_from_anywhere_and_a_wrong_one_does_not(settings):
    settings.METRICS_TOKEN = "correct-horse-battery-staple"
    settings.METRICS_ALLOWED_IPS = []
    right = Client(
        REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer correct-horse-battery-staple"
    )
    scrape(right)
    for header in ["Bearer wrong", "Basic correct-horse-battery-staple", "Bearer", "Bearer ü"]:
        assert Client(HTTP_AUTHORIZATION=header).get("/metrics").status_code == 404, header
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 404
