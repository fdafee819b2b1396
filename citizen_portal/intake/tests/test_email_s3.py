"""Received e-mail kept in S3-compatible object storage (STORAGE_S3_BUCKET), against moto's
S3 server on localhost: the raw message is in the bucket before the sender hears "250", and the
worker reads it back from there to lodge the complaint with its photo."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from citizen_portal.complaints.models import Attachment
from citizen_portal.core.tests.object_store import Bucket
from citizen_portal.directory.models import Category
from citizen_portal.intake.models import InboundMessage, InboundStatus
from citizen_portal.intake.tests.email_support import (
    CITIZEN_ADDRESS,
    PNG,
    Receiver,
    mail,
    mail_receiver_fixture,  # noqa: F401 (the mail_receiver fixture)
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_mail_with_a_photo_is_kept_in_the_bucket_and_lodged_from_it(
    object_store: Bucket, mail_receiver: Receiver, general: Category, world: SimpleNamespace
) -> None:
    world.citizen.email = CITIZEN_ADDRESS
    world.citizen.email_verified_at = timezone.now()
    world.citizen.save()

    answer = mail_receiver.send(mail(files=[("meter.png", "image/png", PNG)]))

    assert "Accepted as" in answer
    message = InboundMessage.objects.get()
    assert message.status == InboundStatus.LODGED
    raw = object_store.read(str(message.raw.name))
    assert raw.startswith(b"Return-Path: <" + CITIZEN_ADDRESS.encode())
    assert b"No electricity in Gulberg since morning" in raw
    photo = Attachment.objects.get(complaint=message.complaint)
    assert object_store.keys("attachments/") == [photo.file.name]
    assert photo.original_name == "meter.png"


def test_mail_kept_in_the_bucket_reads_back_whole_for_the_admin(
    object_store: Bucket, mail_receiver: Receiver, general: Category, settings: Any
) -> None:
    sent = mail(sender="someone.new@example.pk")
    mail_receiver.send(sent)
    message = InboundMessage.objects.get()
    with message.raw.open("rb") as handle:
        assert handle.read() == object_store.read(str(message.raw.name))
    assert object_store.keys("intake/") == [message.raw.name]
