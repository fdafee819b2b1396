"""When the task queue is away as a complaint changes, the change stands, its maker is answered
as usual, and nobody goes untold: the event is noted and queued again by the minute sweep.

The queue's absence is real: huey's own Redis storage, pointed at a port where nothing
listens, refuses the task as it would while Redis restarts."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
import redis
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.notifications.models import Notification, UnqueuedEvent
from citizen_portal.notifications.services.unqueued import requeue_unqueued

pytestmark = pytest.mark.django_db(transaction=True)

DETAILS = {
    "category": "FED-LESCO.BILL.OVER",
    "area": "PK-PB-LHR-LHR",
    "subject": "Bill three times the usual",
    "description": "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
}


class Queue:
    """The test's task queue, which can be taken away: huey's Redis storage at a port where
    nothing listens. `back()` restores the queue the tests run on (tasks run at once)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def away(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]  # closed again on leaving: nothing listens there
        self.monkeypatch.setattr(HUEY, "_immediate", False)
        self.monkeypatch.setattr(
            HUEY, "storage", RedisStorage("away", url=f"redis://127.0.0.1:{port}/0")
        )

    def back(self) -> None:
        self.monkeypatch.undo()


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> Iterator[Queue]:
    queue = Queue(monkeypatch)
    yield queue
    queue.back()


def told(complaint: Complaint) -> set[int]:
    return set(Notification.objects.filter(complaint=complaint).values_list("user", flat=True))


def test_a_complaint_lodged_while_the_queue_is_away_is_told_once_it_is_back(
    world, sms_outbox, queue, caplog
):
    queue.away()
    with caplog.at_level(logging.WARNING):
        answer = api_for(world.citizen).post("/api/v1/complaints/", DETAILS, format="json")
    assert answer.status_code == 201, answer.content
    complaint = Complaint.objects.get(reference=answer.json()["reference"])
    assert told(complaint) == set()
    assert UnqueuedEvent.objects.count() == 1
    assert "the minute sweep queues it" in caplog.text
    # A sweep while the queue is still away keeps the note.
    with pytest.raises(redis.exceptions.ConnectionError):
        requeue_unqueued()
    assert UnqueuedEvent.objects.count() == 1

    queue.back()
    assert requeue_unqueued() == 1
    assert told(complaint) == {world.citizen.pk, world.officers.se.pk}
    [sms] = sms_outbox.messages()
    assert complaint.reference in sms["body"]
    assert not UnqueuedEvent.objects.exists()
    assert requeue_unqueued() == 0


def test_an_officers_action_while_the_queue_is_away_reaches_the_citizen_later(
    world, sms_outbox, queue
):
    complaint = lodge(world)
    queue.away()
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    assert len(sms_outbox.messages()) == 1  # the acknowledgement, sent before the queue went
    queue.back()
    assert requeue_unqueued() == 1
    [_received, resolved] = sms_outbox.messages()
    assert complaint.reference in resolved["body"]
