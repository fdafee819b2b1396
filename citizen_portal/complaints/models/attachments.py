"""Files a citizen or officer attached: photos, documents, audio and video."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.models.complaint import Complaint
from citizen_portal.complaints.models.timeline import Event


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Photo")
        PDF = "pdf", _("PDF document")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    # The timeline entry the file came with (lodging, information provided, resolution).
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A generated name: nothing the uploader chose reaches the file system.
    file = models.FileField(upload_to="attachments/%Y/%m/", max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # The uploader's name for it, cleaned, for display only.
    original_name = models.CharField(max_length=120)
    # From the photo's GPS data, kept only when the citizen chose to share their location.
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.original_name}"
