"""The people and the objects of the access matrix: one of each kind of user the portal has,
and one object of each kind that an address can name, owned by the citizen ("owner") or held
by the superintending engineer's office ("holder"). Built once per test module
(tests/access/conftest.py); each test runs in a savepoint that is rolled back after it."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image

from citizen_portal.accounts.models import Role, User
from citizen_portal.api.services.tokens import token_issue
from citizen_portal.complaints.models import (
    Attachment,
    Complaint,
    Kind,
    ResponseTemplate,
    TemplateAction,
)
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.responses import TemplateInput, response_template_create
from citizen_portal.core import clock
from citizen_portal.directory.tests.factories import CitizenFactory, StaffFactory
from citizen_portal.directory.tests.world import build_world
from citizen_portal.exports.models import ExportJob, Format, JobStatus
from citizen_portal.mailroom.models import Letter, ReplyLetter
from citizen_portal.mailroom.services.letters import LetterInput, letter_enter
from citizen_portal.notifications.models import Notification
from citizen_portal.open311.services.partner_keys import partner_key_issue

# Every kind of user, in the order a failure report lists them. The same roles call the API
# with a token of their own (objects.tokens); "anonymous" sends none.
ROLES = (
    "anonymous",
    "owner",  # the citizen who lodged the complaint
    "other_citizen",  # another citizen
    "holder",  # the superintending engineer, whose position holds the complaint
    "supervisor",  # the CEO, above the holder in the chain
    "focal",  # LESCO's complaint cell (focal person), who triages and keeps templates
    "stranger",  # WASA's director (and focal person): staff of another department
    "admin",  # a national administrator and superuser
    "agent",  # a helpline (call-centre) agent
    "clerk",  # a mail-room (data-entry) operator
    "analyst",  # a national analyst: figures only
)

# Text only those allowed may ever read: the complaint's, the owner's, and each object's.
SUBJECT = "Meter QX-7731 billed three times"
DESCRIPTION = "Access-matrix description: my November bill for meter QX-7731 is Rs 45,000."
NOTIFICATION_BODY = "Access-matrix notice: the SE has read complaint QX-7731."
TEMPLATE_TITLE = "Access-matrix template QX-7731"
EXPORT_NAME = "access-matrix-QX-7731.csv"
SENDER_NAME = "Ghulam Rasool QX-7731"
SENDER_ADDRESS = "House 12, Street 4, Gulberg III QX-7731"


@dataclass(frozen=True)
class Objects:
    world: SimpleNamespace
    users: dict[str, User | None]
    tokens: dict[str, str]
    complaint: Complaint
    attachment: Attachment
    notification: Notification
    template: ResponseTemplate
    export: ExportJob
    letter: Letter
    reply: ReplyLetter
    partner_key: str
    secrets: tuple[bytes, ...]


def _png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 30, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _users(world: SimpleNamespace) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "owner": world.citizen,
        "other_citizen": world.other_citizen,
        "holder": world.officers.se,
        "supervisor": world.officers.ceo,
        "focal": world.officers.focal,
        "stranger": world.stranger,
        "admin": StaffFactory(
            username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True
        ),
        "agent": StaffFactory(username="helpline.one", role=Role.AGENT),
        "clerk": StaffFactory(username="mailroom.one", role=Role.DATA_ENTRY),
        "analyst": StaffFactory(username="analyst.one", role=Role.ANALYST),
    }


def _tokens(users: dict[str, User | None]) -> dict[str, str]:
    """A token per signed-in role; staff tokens carry the second factor, as after a login."""
    tokens = {}
    for role, user in users.items():
        if user is not None:
            tokens[role] = token_issue(user=user, second_factor=not user.is_citizen)[1]
    return tokens


def _export(owner: User) -> ExportJob:
    """A finished export of the holder's inbox, with its file."""
    now = clock.now()
    job = ExportJob.objects.create(
        owner=owner,
        source="inbox",
        format=Format.CSV,
        status=JobStatus.DONE,
        total_rows=1,
        rows_done=1,
        download_name=EXPORT_NAME,
        created_at=now,
        heartbeat_at=now,
        finished_at=now,
    )
    job.file.save("access.csv", ContentFile(f"Subject\r\n{SUBJECT}\r\n".encode()))
    return job


def _letter(world: SimpleNamespace, clerk: User) -> Letter:
    data = LetterInput(
        sender_name=SENDER_NAME,
        postal_address=SENDER_ADDRESS,
        phone="",
        document=None,
        language="en",
        received_on=date(2026, 11, 30),
        letter_date=date(2026, 11, 25),
        category=world.overbilling,
        area=world.lahore,
        kind=Kind.COMPLAINT,
        subject="Electricity bill doubled",
        description="The sender writes that his November bill is twice the usual amount.",
    )
    # The acknowledgement to print is queued when the letter's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return letter_enter(operator=clerk, data=data, files=[], key="access-matrix").letter


def build_objects() -> Objects:
    world = build_world()
    users = _users(world)
    complaint = complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.overbilling, area=world.lahore, subject=SUBJECT, description=DESCRIPTION
        ),
        files=[_png("meter.png")],
    )
    attachment = complaint.attachments.get()
    notification = Notification.objects.create(
        user=world.citizen,
        complaint=complaint,
        title="Your complaint was read",
        body=NOTIFICATION_BODY,
        url=f"/complaints/{complaint.reference}/",
    )
    template = response_template_create(
        user=world.officers.focal,
        data=TemplateInput(
            department=world.lesco,
            category=world.billing,
            action=TemplateAction.RESOLVE,
            title=TEMPLATE_TITLE,
            text_en="The meter was re-read and the bill corrected.",
        ),
    )
    clerk = users["clerk"]
    assert clerk is not None
    letter = _letter(world, clerk)
    reply = ReplyLetter.objects.get(complaint=letter.complaint)
    # An Open311 partner (a city app) posting through its own intake account.
    _key, partner_key = partner_key_issue(
        name="Access matrix app",
        account=CitizenFactory(phone="+923219990000", full_name="Access matrix app desk"),
    )
    with attachment.file.open("rb") as stored:
        picture = stored.read()
    reply_pdf = reply.pdf.read()
    return Objects(
        world=world,
        users=users,
        tokens=_tokens(users),
        complaint=complaint,
        attachment=attachment,
        notification=notification,
        template=template,
        export=_export(world.officers.se),
        letter=letter,
        reply=reply,
        partner_key=partner_key,
        secrets=(
            SUBJECT.encode(),
            DESCRIPTION.encode(),
            world.citizen.phone.encode(),
            world.citizen.full_name.encode(),
            NOTIFICATION_BODY.encode(),
            TEMPLATE_TITLE.encode(),
            EXPORT_NAME.encode(),
            SENDER_NAME.encode(),
            picture,
            reply_pdf,
        ),
    )
