"""The mailbox poller against a real IMAP server (pymap, in memory, on localhost): unread mail
is stored and handled, marked read only once stored, and a message read twice is lodged once."""

from __future__ import annotations

import imaplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from citizen_portal.complaints.models import Complaint
from citizen_portal.directory.models import Category
from citizen_portal.intake.models import InboundMessage, InboundStatus
from citizen_portal.intake.services.email_poll import Mailbox, mailbox_poll
from citizen_portal.intake.tests.email_support import CITIZEN_ADDRESS, mail

pytestmark = pytest.mark.django_db

USER, PASSWORD = "portal", "imap-test-password"


@pytest.fixture
def imap_server(settings: Any, tmp_path: Path) -> Iterator[Mailbox]:
    settings.MEDIA_ROOT = tmp_path / "media"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pymap = Path(sys.executable).with_name("pymap")
    server = subprocess.Popen(  # noqa: S603
        [str(pymap), "--host", "127.0.0.1", "--port", str(port), "--no-tls", "dict",
         "--demo-user", USER, "--demo-password", PASSWORD],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("the IMAP server did not start")
            time.sleep(0.1)
    yield Mailbox(host="127.0.0.1", port=port, user=USER, password=PASSWORD, ssl=False)
    server.terminate()
    server.wait(timeout=10)


def _client(mailbox: Mailbox) -> imaplib.IMAP4:
    client = imaplib.IMAP4(mailbox.host, mailbox.port)
    client.login(mailbox.user, mailbox.password)
    client.select("INBOX")
    return client


def _unseen(mailbox: Mailbox) -> list[bytes]:
    client = _client(mailbox)
    try:
        return list(client.uid("SEARCH", "UNSEEN")[1][0].split())
    finally:
        client.logout()


@pytest.fixture
def citizen(world: SimpleNamespace) -> Any:
    world.citizen.email = CITIZEN_ADDRESS
    world.citizen.email_verified_at = timezone.now()
    world.citizen.save()
    return world.citizen


def test_unread_mail_is_stored_lodged_and_marked_read(
    imap_server: Mailbox, citizen: Any, general: Category
) -> None:
    client = _client(imap_server)
    client.append("INBOX", "", None, mail().as_bytes())
    client.append("INBOX", r"(\Seen)", None, mail(subject="Already read by a person").as_bytes())
    client.logout()

    stored = mailbox_poll(imap_server)

    assert len(stored) == 1
    message = InboundMessage.objects.get(pk=stored[0])
    assert message.status == InboundStatus.LODGED
    assert message.complaint is not None
    assert message.complaint.subject == "No electricity in Gulberg since morning"
    assert _unseen(imap_server) == []
    assert mailbox_poll(imap_server) == []  # nothing new the second time


def test_mail_read_again_after_an_interrupted_poll_is_lodged_once(
    imap_server: Mailbox, citizen: Any, general: Category
) -> None:
    client = _client(imap_server)
    client.append("INBOX", "", None, mail().as_bytes())
    mailbox_poll(imap_server)
    # As if the poller had died after storing, before the message was marked read.
    uid = client.uid("SEARCH", "ALL")[1][0].split()[-1]
    client.uid("STORE", uid, "-FLAGS", r"(\Seen)")
    client.logout()

    mailbox_poll(imap_server)

    first, second = InboundMessage.objects.order_by("pk")
    assert first.status == InboundStatus.LODGED
    assert second.status == InboundStatus.IGNORED
    assert "duplicate" in second.reason
    assert Complaint.objects.count() == 1


def test_the_command_polls_the_mailbox_in_the_settings(
    imap_server: Mailbox, citizen: Any, general: Category, settings: Any, capsys: Any
) -> None:
    settings.INTAKE_IMAP_HOST = imap_server.host
    settings.INTAKE_IMAP_PORT = imap_server.port
    settings.INTAKE_IMAP_SSL = False
    settings.INTAKE_IMAP_USER = USER
    settings.INTAKE_IMAP_PASSWORD = PASSWORD
    client = _client(imap_server)
    client.append("INBOX", "", None, mail().as_bytes())
    client.logout()

    call_command("poll_mailbox", "--once")

    assert "1 message(s) stored" in capsys.readouterr().out
    assert Complaint.objects.count() == 1


def test_a_wrong_password_is_reported_not_crashed_on(imap_server: Mailbox, settings: Any) -> None:
    from django.core.management.base import CommandError

    settings.INTAKE_IMAP_HOST = imap_server.host
    settings.INTAKE_IMAP_PORT = imap_server.port
    settings.INTAKE_IMAP_SSL = False
    settings.INTAKE_IMAP_USER = USER
    settings.INTAKE_IMAP_PASSWORD = "wrong"
    with pytest.raises(CommandError, match="Could not read the mailbox"):
        call_command("poll_mailbox", "--once")
