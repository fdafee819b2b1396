"""Fixtures of the mail-room tests: the small world, the general category, a mail-room clerk
and a letter's worth of input."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from citizen_portal.accounts.models import Role, User
from citizen_portal.complaints.models import Kind
from citizen_portal.directory.models import Category
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.intake.tests.factories import general_category
from citizen_portal.mailroom.services.letters import LetterInput


@pytest.fixture
def general(world: SimpleNamespace, settings: Any) -> Category:
    return general_category(world, settings)


@pytest.fixture
def clerk(db: None) -> User:
    return StaffFactory(username="mailroom.one", full_name="Mail Clerk", role=Role.DATA_ENTRY)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def scan_png(name: str = "letter.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def letter_input(world: SimpleNamespace, **changes: Any) -> LetterInput:
    values: dict[str, Any] = {
        "sender_name": "Ghulam Rasool",
        "postal_address": "House 12, Street 4\nGulberg III\nLahore",
        "phone": "",
        "document": None,
        "language": "en",
        "received_on": date(2026, 11, 30),
        "letter_date": date(2026, 11, 25),
        "category": world.overbilling,
        "area": world.lahore,
        "kind": Kind.COMPLAINT,
        "subject": "Electricity bill doubled",
        "description": "The sender writes that his November bill is twice the usual amount.",
    }
    values.update(changes)
    return LetterInput(**values)
