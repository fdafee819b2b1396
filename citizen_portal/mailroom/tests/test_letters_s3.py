"""The mail room's files in S3-compatible object storage (STORAGE_S3_BUCKET), against moto's
S3 server on localhost: a letter's scans and the printed reply are kept in the bucket, and the
reply downloads from there for the mail room only."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from citizen_portal.accounts.models import User
from citizen_portal.core.tests.object_store import Bucket
from citizen_portal.directory.models import Category
from citizen_portal.mailroom.models import ReplyLetter, ReplyStatus
from citizen_portal.mailroom.services.letters import letter_enter
from citizen_portal.mailroom.tests.conftest import letter_input, scan_png

pytestmark = pytest.mark.django_db(transaction=True)


def test_scans_and_the_printed_reply_are_kept_in_the_bucket(
    object_store: Bucket, world: SimpleNamespace, general: Category, clerk: User, client: Client
) -> None:
    entered = letter_enter(
        operator=clerk, data=letter_input(world), files=[scan_png()], key="s3-letter-01"
    )
    scan = entered.letter.complaint.attachments.get()
    assert object_store.keys("attachments/") == [scan.file.name]
    reply = ReplyLetter.objects.get()
    assert object_store.keys("mailroom/replies/") == [reply.pdf.name]

    client.force_login(clerk)
    download = client.get(reverse("mailroom:reply_pdf", args=[reply.pk]))
    assert download.status_code == 200
    assert download.content == object_store.read(str(reply.pdf.name))
    assert download.content.startswith(b"%PDF")
    client.force_login(world.officers.se)
    assert client.get(reverse("mailroom:reply_pdf", args=[reply.pk])).status_code == 404


def test_with_the_object_store_down_the_mail_room_is_told_and_can_still_print(
    failing_object_store: Bucket,
    world: SimpleNamespace,
    general: Category,
    clerk: User,
    client: Client,
) -> None:
    letter_enter(operator=clerk, data=letter_input(world), files=[scan_png()], key="s3-letter-02")
    reply = ReplyLetter.objects.get()
    failing_object_store.server.stop()
    client.force_login(clerk)
    # The kept PDF cannot be read: the clerk is told why, on the dispatch page, not an error.
    download = client.get(reverse("mailroom:reply_pdf", args=[reply.pk]), follow=True)
    assert download.status_code == 200
    assert "cannot store or read attached files just now" in download.content.decode()
    # Printing composes the letters afresh from the timeline, so it works meanwhile.
    printed = client.post(reverse("mailroom:print"), {"replies": [reply.pk]})
    assert printed["Content-Type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF")
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PRINTED
