"""Letters the mail room entered, and the printed replies waiting to be posted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import Language


class Letter(models.Model):
    """The paper letter a complaint was lodged from: who sent it and where to reply. The
    scans are the complaint's attachments; the text the operator typed is its description."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="letter"
    )
    sender_name = models.CharField(_("sender's name"), max_length=150)
    # As written on the envelope, one line per line: the reply is printed from it.
    postal_address = models.TextField(_("postal address"), max_length=500)
    # E.164, as the sender wrote it; empty when the letter gave none.
    phone = models.CharField(_("mobile number"), max_length=16, blank=True)
    # Only the masked form of a CNIC written in the letter: the full number is never kept here.
    document_masked = models.CharField(_("CNIC"), max_length=32, blank=True)
    letter_date = models.DateField(_("date on the letter"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    # The language replies are printed in.
    language = models.CharField(_("language of the letter"), max_length=5, choices=Language.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The key of the form the operator submitted: a second press of the button finds the letter
    # already entered instead of lodging it again.
    submission_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.UniqueConstraint(
                fields=["entered_by", "submission_key"], name="letter_one_per_form"
            ),
        ]
        indexes = [
            # "Letters I entered", newest first.
            models.Index(fields=["entered_by", "-created_at"], name="letter_entered_by"),
        ]

    def __str__(self) -> str:
        return f"{self.sender_name} ({self.received_on})"


class ReplyStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be printed")
    PRINTED = "printed", _("Printed")
    DISPATCHED = "dispatched", _("Dispatched")
    RETURNED = "returned", _("Returned undeliverable")


class ReplyLetter(models.Model):
    """A printed answer to a letter's sender: one per timeline event they are told about."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="reply_letters"
    )
    event = models.ForeignKey("complaints.Event", on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=5, choices=Language.choices)
    title = models.CharField(max_length=200)
    pdf = models.FileField(upload_to="mailroom/replies/%Y/%m/", max_length=200)
    status = models.CharField(
        max_length=12, choices=ReplyStatus.choices, default=ReplyStatus.QUEUED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reply letter")
        verbose_name_plural = _("reply letters")
        constraints = [
            # The worker may run twice for one event: the second finds the letter made.
            models.UniqueConstraint(fields=["complaint", "event"], name="reply_one_per_event"),
        ]
        indexes = [
            # The dispatch queue: one status, oldest first.
            models.Index(fields=["status", "created_at"], name="reply_status"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"
