"""Every door that takes a file, attacked with the same hostile files (hostile_files.py), as a
browser, an app, a mail server or a partner would send them: a refused file is named to the
uploader in their language (Urdu here) and nothing of it is stored; a harmless file under a
hostile name, or a photo carrying a payload, is stored re-encoded under a generated name.

The checks themselves are proven file by file in test_attachments.py; this proves that no door
goes around them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.models import Attachment, Complaint
from citizen_portal.complaints.services.attachments import attachments_prepare, display_name
from citizen_portal.complaints.services.officer_actions import complaint_request_info
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.tests.hostile_files import (
    CLEANED,
    CORPUS,
    OVERSIZE_LIMIT,
    PAYLOADS,
    Hostile,
    polyglot,
)
from citizen_portal.complaints.tests.lodging_steps import fill_steps, step_url
from citizen_portal.complaints.tests.test_attachments import MP3, WAV, jpeg, mp4, pdf, png
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.intake.models import InboundMessage
from citizen_portal.intake.tests.email_support import (
    mail,
    mail_receiver_fixture,  # noqa: F401 (the mail_receiver fixture)
)
from citizen_portal.intake.tests.factories import general_category
from citizen_portal.mailroom.services.letters import scans_check
from citizen_portal.open311.tests.helpers import BASE, make_partner, request_fields

pytestmark = pytest.mark.django_db(transaction=True)

STORED_NAME = re.compile(r"^attachments/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|pdf)$")
URDU = {django_settings.LANGUAGE_COOKIE_NAME: "ur"}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ATTACHMENT_MAX_BYTES = OVERSIZE_LIMIT
    settings.ATTACHMENT_MEDIA_MAX_BYTES = OVERSIZE_LIMIT
    settings.LODGE_MAX_PER_HOUR = settings.LODGE_MAX_PER_DAY = 0  # many lodgings in one test
    return Path(settings.MEDIA_ROOT)


def on_disk(media: Path) -> set[str]:
    """The uploaded files on disk: attachments, and files kept with lodge drafts. (The e-mail
    door also keeps each raw message, as received, apart: it is never served as a file.)"""
    if not media.exists():
        return set()
    found = {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}
    return {name for name in found if name.startswith(("attachments/", "lodge-drafts/"))}


def refusal(item: Hostile, *, scans: bool = False, language: str = "ur") -> str:
    """What the uploader must be told, in Urdu: the attachments service's refusal (the mail
    room first checks that a file is a scan at all)."""
    with translation.override(language):
        try:
            upload = item.upload()
            if scans:
                scans_check([upload])
            attachments_prepare([upload])
        except ApplicationError as exc:
            return str(exc.message)
    raise AssertionError(f"{item.key} was not refused")


def empty_file_refusal(by: str) -> str:
    # An empty file is refused by the form's (Django's) or the serializer's (DRF's) file field
    # before the service sees it.
    from django.forms import FileField
    from rest_framework.fields import FileField as SerializerFileField

    field = FileField if by == "form" else SerializerFileField
    with translation.override("ur"):
        return str(field.default_error_messages["empty"])


# --- The doors ----------------------------------------------------------------------------


@dataclass
class Door:
    """`send` pushes one file through the door and returns what the uploader reads."""

    send: Callable[[SimpleNamespace, Hostile], str]
    scans: bool = False  # the mail room's own "not a scan" check comes first
    language: str = "ur"  # the language the refusal is given in
    empty_by: str = ""  # "form" or "serializer" when that refuses an empty file itself
    refuses_every_file: str = ""  # Open311 takes no files at all


def lodge_files(world: SimpleNamespace, files: list[SimpleUploadedFile]) -> Complaint:
    from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge

    return complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.overbilling,
            area=world.lahore,
            subject="Bill three times the usual",
            description="My November bill is Rs 45,000 while I usually pay Rs 15,000.",
        ),
        files=files,
    )


def _web(client: Client, user: Any) -> Client:
    client.force_login(user)
    client.cookies.load(URDU)
    return client


def web_lodge(ctx: SimpleNamespace, item: Hostile) -> str:
    client = _web(ctx.client, ctx.world.citizen)
    fill_steps(client, ctx.world)
    response = client.post(step_url("attachments"), {"files": [item.upload()], "action": "next"})
    if response.status_code == 302:  # kept with the draft: now lodge it
        key = re.search(r'name="idempotency_key" value="([^"]+)"', _page(client, "review"))
        assert key
        sent = client.post(step_url("review"), {"idempotency_key": key.group(1)})
        assert sent.status_code == 302, sent.content.decode()[:2000]
        return ""
    assert response.status_code == 200
    draft = client.session["lodge_draft"]
    assert draft["files"] == [], "a refused file is not kept with the draft"
    return response.content.decode()


def _page(client: Client, step: str) -> str:
    return client.get(step_url(step)).content.decode()


def web_offline(ctx: SimpleNamespace, item: Hostile) -> str:
    client = _web(ctx.client, ctx.world.citizen)
    data = {
        "kind": "complaint",
        "category": ctx.world.overbilling.pk,
        "district": ctx.world.lahore.pk,
        "subject": "No electricity for two days",
        "description": "The transformer on our street burnt out on Monday; nobody has come.",
        "idempotency_key": f"0b5c3d1e-7f2a-4c9b-8e6d-{len(ctx.sent):012d}",
        "files": [item.upload()],
    }
    ctx.sent.append(item)
    response = client.post("/offline/lodge/", data)
    return "" if response.status_code == 302 else _refused_page(response)


def _refused_page(response: Any) -> str:
    assert response.status_code in {200, 400}, response.status_code
    return str(response.content.decode())


def _asked(ctx: SimpleNamespace) -> Complaint:
    complaint = lodge(ctx.world)
    complaint_request_info(
        complaint=complaint,
        officer=ctx.world.officers.se,
        question="Please send a photo of your meter reading.",
    )
    return complaint


def web_answer(ctx: SimpleNamespace, item: Hostile) -> str:
    complaint = _asked(ctx)
    client = _web(ctx.client, ctx.world.citizen)
    url = reverse("complaints:detail", args=[complaint.reference])
    response = client.post(url, {"answer": "The meter reads 04521.", "files": [item.upload()]})
    return "" if response.status_code == 302 else _refused_page(response)


def web_officer(ctx: SimpleNamespace, item: Hostile) -> str:
    complaint = lodge(ctx.world)
    client = _web(ctx.client, ctx.world.officers.se)
    url = reverse("complaints:work_act", args=[complaint.reference, "resolve"])
    data = {
        "remark": "Meter re-read, bill corrected.",
        "outcome": "relief_granted",
        "files": [item.upload()],
    }
    response = client.post(url, data)
    return "" if response.status_code == 302 else _refused_page(response)


def web_mailroom(ctx: SimpleNamespace, item: Hostile) -> str:
    clerk = ctx.clerk
    client = _web(ctx.client, clerk)
    data = {
        "sender_name": "Ghulam Rasool",
        "postal_address": "House 12, Street 4\r\nGulberg III\r\nLahore",
        "phone": "",
        "cnic": "",
        "language": "en",
        "letter_date": "",
        "received_on": "2026-11-01",
        "kind": "complaint",
        "category": str(ctx.world.overbilling.pk),
        "district": str(ctx.world.lahore.pk),
        "subject": "Electricity bill doubled",
        "description": "The sender writes that his November bill is twice the usual amount.",
        "idempotency_key": f"{len(ctx.sent):016x}",
        "scans": [item.upload()],
    }
    ctx.sent.append(item)
    response = client.post(reverse("mailroom:enter"), data)
    return "" if response.status_code == 302 else _refused_page(response)


def _api_json(response: Any, ok: int) -> str:
    if response.status_code == ok:
        return ""
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    return " ".join([error["message"], *(m for ms in error["fields"].values() for m in ms)])


def api_lodge(ctx: SimpleNamespace, item: Hostile) -> str:
    body = {
        "category": ctx.world.overbilling.code,
        "area": ctx.world.lahore.code,
        "subject": "Bill three times the usual",
        "description": "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
        "files": [item.upload()],
    }
    response = ctx.api.post(
        "/api/v1/complaints/", body, format="multipart", HTTP_ACCEPT_LANGUAGE="ur"
    )
    return _api_json(response, 201)


def api_answer(ctx: SimpleNamespace, item: Hostile) -> str:
    complaint = _asked(ctx)
    url = f"/api/v1/complaints/{complaint.reference}/answer/"
    body = {"answer": "The meter reads 04521.", "files": [item.upload()]}
    response = ctx.api.post(url, body, format="multipart", HTTP_ACCEPT_LANGUAGE="ur")
    return _api_json(response, 200)


def api_officer(ctx: SimpleNamespace, item: Hostile) -> str:
    complaint = lodge(ctx.world)
    url = f"/api/v1/complaints/{complaint.reference}/actions/resolve/"
    body = {
        "remark": "The meter was replaced.",
        "outcome": "relief_granted",
        "files": [item.upload()],
    }
    response = ctx.api.post(url, body, format="multipart", HTTP_ACCEPT_LANGUAGE="ur")
    return _api_json(response, 200)


def email_intake(ctx: SimpleNamespace, item: Hostile) -> str:
    """Mail is not refused for one bad file: the complaint is lodged without it and the
    sender gets a note naming the file and why. The note is in English and Urdu, but the
    reasons in it are written in the worker's language (English): see docs/security.md."""
    before = InboundMessage.objects.count()
    sent_before = len(ctx.smtp_server)
    ctx.mail_receiver.send(
        mail(
            subject=f"No electricity in Gulberg ({item.key})",
            files=[(item.name.replace("\x00", ""), "image/jpeg", item.content)],
        )
    )
    message = InboundMessage.objects.order_by("pk")[before]
    assert message.complaint is not None, "the complaint is lodged without the file"
    texts = []
    for envelope in ctx.smtp_server[sent_before:]:
        if b"not accepted" in envelope.original_content:
            note = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
            body = note.get_body(("plain",))
            assert body is not None
            texts.append(str(body.get_content()))
    return "".join(texts)


def open311(ctx: SimpleNamespace, item: Hostile) -> str:
    fields = {**request_fields(ctx.world, ctx.partner.raw), "media": item.upload()}
    response = ctx.client.post(BASE + "requests.json", fields, HTTP_ACCEPT_LANGUAGE="ur")
    assert response.status_code == 400, response.content
    return str(response.json()[0]["description"])


DOORS = {
    "web-lodge": Door(web_lodge, empty_by="form"),
    "web-offline-lodge": Door(web_offline, empty_by="form"),
    "web-answer": Door(web_answer, empty_by="form"),
    "web-officer-resolve": Door(web_officer, empty_by="form"),
    "web-mailroom-letter": Door(web_mailroom, scans=True, empty_by="form"),
    "api-lodge": Door(api_lodge),
    "api-answer": Door(api_answer),
    "api-officer-resolve": Door(api_officer, empty_by="serializer"),
    "email-intake": Door(email_intake, language="en"),
    "open311": Door(open311, refuses_every_file="Files are not accepted: send a media_url"),
}


@pytest.fixture
def door_context(request: Any, client: Client, world: SimpleNamespace, settings: Any) -> Any:
    ctx = SimpleNamespace(client=client, world=world, sent=[])
    name = request.node.callspec.params["door"]
    if name.startswith("api-"):
        ctx.api = api_for(world.officers.se if name.endswith("officer-resolve") else world.citizen)
    if name == "web-mailroom-letter":
        general_category(world, settings)
        ctx.clerk = StaffFactory(username="mailroom.one", role="data_entry")
    if name == "email-intake":
        from django.utils import timezone

        general_category(world, settings)
        world.citizen.email = "ayesha.khan@example.pk"
        world.citizen.email_verified_at = timezone.now()
        world.citizen.preferred_language = "ur"
        world.citizen.save()
        settings.INTAKE_EMAIL_REPLIES_PER_DAY = 100  # a note for every file of the corpus
        ctx.mail_receiver = request.getfixturevalue("mail_receiver")
        ctx.smtp_server = request.getfixturevalue("smtp_server")
    if name == "open311":
        ctx.partner = make_partner("Punjab 1122 app", "+923219990000")
    return ctx


@pytest.mark.parametrize("door", list(DOORS))
def test_every_hostile_file_is_refused_or_stored_cleaned_at_every_door(
    door: str, door_context: SimpleNamespace, media: Path
) -> None:
    spec = DOORS[door]
    for item in CORPUS:
        attachments_before = set(Attachment.objects.values_list("pk", flat=True))
        shown = spec.send(door_context, item)
        new = Attachment.objects.exclude(pk__in=attachments_before)
        # Whatever happened, nothing is on disk but the stored attachments' own files.
        assert on_disk(media) == {a.file.name for a in Attachment.objects.all()}, item.key
        if spec.refuses_every_file:
            assert spec.refuses_every_file not in shown, "the refusal is translated"
            with translation.override("ur"):
                from django.utils.translation import gettext

                expected = gettext("Files are not accepted: send a media_url instead.")
            assert expected in shown, item.key
            assert not new.exists(), item.key
            continue
        if item.refused:
            if item.key == "empty" and spec.empty_by:
                expected = empty_file_refusal(spec.empty_by)
            else:
                expected = refusal(item, scans=spec.scans, language=spec.language)
            assert shown, f"{item.key} was accepted at {door}"
            assert escape(expected) in shown or expected in shown, (item.key, shown[-3000:])
            assert not new.exists(), item.key
            continue
        assert shown == "", (item.key, shown[-3000:])
        [attachment] = new
        assert attachment.original_name == item.shown, item.key
        assert STORED_NAME.match(str(attachment.file.name)), attachment.file.name
        content = attachment.file.open("rb").read()
        assert not [p for p in PAYLOADS if p in content], item.key
        if attachment.content_type == "image/jpeg":
            assert content.startswith(b"\xff\xd8"), item.key
            assert content != item.content, "re-encoded"


def test_the_corpus_covers_what_the_issue_names() -> None:
    keys = {item.key for item in CORPUS}
    assert {"svg-script", "html-as-jpg", "pdf-javascript", "zip-bomb", "empty", "oversized"} <= keys
    assert {"double-extension", "rtl-override", "nul-in-name", "path-traversal", "polyglot"} <= keys
    assert all(item.shown for item in CLEANED)


# --- Serving --------------------------------------------------------------------------------

SERVED = [
    ("meter.jpg", jpeg(), "image/jpeg"),
    ("meter.png", png(), "image/png"),
    ("bill.pdf", pdf(), "application/pdf"),
    ("voice.mp3", MP3, "audio/mpeg"),
    ("voice.wav", WAV, "audio/wav"),
    ("clip.mp4", mp4(), "video/mp4"),
    ("holiday.jpg", polyglot(), "image/jpeg"),
]


@pytest.mark.parametrize(("name", "content", "content_type"), SERVED, ids=[s[0] for s in SERVED])
def test_each_stored_type_is_served_inert_by_the_web_and_the_api(
    client: Client,
    world: SimpleNamespace,
    media: Path,
    name: str,
    content: bytes,
    content_type: str,
) -> None:
    complaint = lodge_files(world, [SimpleUploadedFile(name, content, "application/octet-stream")])
    stored = complaint.attachments.get()
    client.force_login(world.citizen)
    web = client.get(reverse("complaints:attachment", args=[stored.pk]))
    api = api_for(world.citizen).get(f"/api/v1/attachments/{stored.pk}/")
    for response in (web, api):
        assert response.status_code == 200
        assert response["Content-Type"] == content_type == stored.content_type
        assert response["Content-Disposition"] == f'inline; filename="{name}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"
        assert response.getvalue() == stored.file.open("rb").read()


def test_stored_files_are_reachable_only_through_the_checking_view(
    client: Client, world: SimpleNamespace, media: Path, settings: Any
) -> None:
    """No address maps onto MEDIA_ROOT: not /media/, not the stored name, not the static
    files (WhiteNoise serves STATIC_ROOT only, which holds no uploads)."""
    complaint = lodge_files(world, [SimpleUploadedFile("holiday.jpg", polyglot(), "text/html")])
    name = str(complaint.attachments.get().file.name)
    assert (media / name).is_file()
    assert not Path(settings.STATIC_ROOT).resolve().is_relative_to(media.resolve())
    assert not media.resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())
    client.force_login(world.citizen)
    for path in [
        f"/media/{name}",
        f"/{name}",
        f"/static/{name}",
        f"/{settings.MEDIA_URL.lstrip('/')}{name}",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"\xff\xd8" not in response.getvalue(), path


@pytest.mark.parametrize(
    ("raw", "extension", "shown"),
    [
        ("photo.jpg.exe", "jpg", "photo.jpg"),
        ("invoice.pdf.html", "pdf", "invoice.pdf"),
        ("scan.jpg", "png", "scan.png"),
        ("Reading 12.03.2026.jpg", "jpg", "Reading 12.03.2026.jpg"),  # digits: not extensions
        ("Bill No. 5", "pdf", "Bill No. 5.pdf"),
        (".exe", "jpg", "file.jpg"),
    ],
)
def test_every_extension_the_uploader_gave_yields_to_the_detected_one(
    raw: str, extension: str, shown: str
) -> None:
    assert display_name(raw, extension) == shown
