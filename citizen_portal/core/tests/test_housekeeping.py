"""The nightly housekeeping (core/tasks.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from citizen_portal.core.tasks import clear_sessions

pytestmark = pytest.mark.django_db


def test_expired_sessions_leave_the_database_and_live_ones_stay():
    live, expired = SessionStore(), SessionStore()
    live["user"] = "still here"
    expired["user"] = "gone"
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    clear_sessions.call_local()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
