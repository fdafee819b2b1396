"""Fixtures of the export tests: files in a temporary media folder, an officer signed in, and
readers that open an export the way a spreadsheet would."""

from __future__ import annotations

import csv
import io
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.tests.factories import lodge


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def se_client(client: Client, world: SimpleNamespace, sms_outbox: Any) -> Client:
    client.force_login(world.officers.se)
    return client


def lodge_many(world: SimpleNamespace, n: int) -> list[Complaint]:
    """`n` over-billing complaints in Lahore: all in the superintending engineer's inbox."""
    return [lodge(world) for _ in range(n)]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "no byte-order mark: Excel would garble Urdu"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_rows(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def xlsx_cells(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows()]


def page_references(page: str) -> list[str]:
    return re.findall(r'href="/work/([A-Z]{2}-\d{4}-\d{7}-[A-Z])/"', page)
