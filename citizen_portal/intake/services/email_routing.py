"""Where an e-mailed complaint goes, and which of its files the portal takes.

A category keyword in the subject ("[FED-LESCO.BILL]" or "#FED-LESCO.BILL") lodges in that
category; mail to a department's own address (<department code>@<portal domain>) lodges under
that department's "Other complaint" category (<CODE>.OTHER); anything else goes to the general
category and waits in its complaint cell's triage queue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from citizen_portal.complaints.services.attachments import attachments_prepare, display_name
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import Category, Department
from citizen_portal.directory.selectors.memo import category_by_code
from citizen_portal.intake.services.email_parse import MailFile

_KEYWORD = re.compile(r"(?:\[\s*|#)([A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+)\s*\]?")
# PREFIX-YEAR-SEQUENCE-CHECK (complaints/services/references.py).
_REFERENCE = re.compile(r"\b([A-Z]{1,3}-\d{4}-\d{4,12}-[A-Z])\b")


def references_in(subject: str) -> list[str]:
    return list(dict.fromkeys(_REFERENCE.findall(subject.upper())))


def keyword_category(subject: str) -> tuple[Category | None, str]:
    """The active category a keyword in the subject names, and the subject without it."""
    for match in _KEYWORD.finditer(subject):
        category = category_by_code(match.group(1).upper())
        if category is not None and category.is_active:
            rest = (subject[: match.start()] + subject[match.end() :]).strip(" -:")
            return category, " ".join(rest.split())
    return None, subject


def department_category(recipients: Iterable[str]) -> Category | None:
    """The "Other complaint" category of the department whose address the mail was sent to."""
    domains = settings.INTAKE_EMAIL_DOMAINS
    for address in recipients:
        local, _, domain = address.strip().lower().rpartition("@")
        if not local or (domains and domain not in domains):
            continue
        department = Department.objects.filter(code__iexact=local, is_active=True).first()
        if department is None:
            continue
        category = category_by_code(f"{department.code}.OTHER")
        if category is not None and category.is_active:
            return category
    return None


@dataclass
class SortedFiles:
    accepted: list[SimpleUploadedFile]
    refused: list[str]  # one line per file: its name and why, for the sender


def files_sort(files: Iterable[MailFile]) -> SortedFiles:
    """Each file judged on its own by the attachments service (the web form's rules): a file
    it refuses is left out and named, instead of refusing the whole message."""
    result = SortedFiles(accepted=[], refused=[])
    total = 0
    for item in files:
        name = display_name(item.name)
        if len(result.accepted) >= settings.ATTACHMENT_MAX_FILES:
            result.refused.append(
                gettext("%(name)s: at most %(n)d files are taken from one e-mail.")
                % {"name": name, "n": settings.ATTACHMENT_MAX_FILES}
            )
            continue
        if total + len(item.content) > settings.ATTACHMENT_TOTAL_MAX_BYTES:
            result.refused.append(
                gettext("%(name)s: the files come to more than %(limit)s in all.")
                % {"name": name, "limit": filesizeformat(settings.ATTACHMENT_TOTAL_MAX_BYTES)}
            )
            continue
        upload = SimpleUploadedFile(name, item.content, item.content_type)
        try:
            attachments_prepare([upload])
        except ApplicationError as exc:
            result.refused.append(str(exc.message))
            continue
        upload.seek(0)
        result.accepted.append(upload)
        total += len(item.content)
    return result
