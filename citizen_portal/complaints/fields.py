"""A form field for attaching several files at once (Django's "Uploading multiple files").

The field only collects the uploads; `attachments_prepare` judges them (type by content, sizes,
count) when the service runs, so the rules live in one place.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext

from citizen_portal.complaints.services.attachments import TYPES


def accept_attribute() -> str:
    """What the browser's file picker offers: the accepted types and their usual extensions.
    (Listing image/jpeg but not HEIC makes iPhones hand over their photos as JPEG.)"""
    content_types = sorted({filetype.content_type for filetype in TYPES.values()})
    extensions = sorted({f".{filetype.extension}" for filetype in TYPES.values()} | {".jpeg"})
    return ",".join(content_types + extensions)


def _limits_text() -> str:
    # Read when the form is shown, so the limits follow the settings and the text the language.
    return gettext(
        "Up to %(count)d files: photos (JPEG, PNG, WebP) and PDF documents up to %(small)s "
        "each; audio and video up to %(media)s each; %(total)s in all."
    ) % {
        "count": settings.ATTACHMENT_MAX_FILES,
        "small": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
        "media": filesizeformat(settings.ATTACHMENT_MEDIA_MAX_BYTES),
        "total": filesizeformat(settings.ATTACHMENT_TOTAL_MAX_BYTES),
    }


limits_text = lazy(_limits_text, str)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """`files = MultipleFileField(required=False)`: cleaned to a list of UploadedFile, empty
    when nothing was attached."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept_attribute()}))
        kwargs.setdefault("help_text", limits_text())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        uploads = data if isinstance(data, list | tuple) else [data]
        uploads = [upload for upload in uploads if upload]
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        single = super().clean
        return [single(upload, initial) for upload in uploads]
