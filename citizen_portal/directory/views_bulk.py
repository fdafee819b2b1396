"""Bulk import and export of the directory, for administrators (staff).

The views check who may do what and how big the upload is; everything about the file's content
is the service's (directory/services/bulk/)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from citizen_portal.accounts.permissions import Perm
from citizen_portal.core.decorators import portal_permission_required
from citizen_portal.directory.services.bulk import (
    ENTITIES,
    MAX_BYTES,
    MAX_ROWS,
    Entity,
    FileFormat,
    FileRejected,
    export_file,
    import_file,
)
from citizen_portal.directory.services.bulk.formats import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

# A page listing 20,000 problems helps nobody: the first ones show what is wrong.
MAX_ERRORS_SHOWN = 500
CONTENT_TYPES: dict[str, str] = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or Excel (.xlsx), with the columns listed above."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": f".csv,.xlsx,text/csv,{XLSX_CONTENT_TYPE}",
            }
        ),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        # Checked before reading: the size is known from the upload, the content is not read.
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files."),
                params={"limit": MAX_BYTES // (1024 * 1024)},
            )
        return upload


@dataclass(frozen=True)
class Panel:
    entity: Entity
    form: UploadForm
    can_import: bool
    can_export: bool


def _entity(slug: str) -> Entity:
    try:
        return ENTITIES[slug]
    except KeyError:
        raise Http404 from None


@staff_member_required
@portal_permission_required(Perm.BULK_DIRECTORY)
def bulk_index(request: HttpRequest) -> HttpResponse:
    """Every entity: its columns, export links and an upload form."""
    panels = [
        Panel(
            entity=entity,
            form=UploadForm(prefix=entity.slug),
            can_import=request.user.has_perms(entity.import_permissions),
            can_export=request.user.has_perms(entity.export_permissions),
        )
        for entity in ENTITIES.values()
    ]
    context = {"panels": panels, "max_mb": MAX_BYTES // (1024 * 1024), "max_rows": f"{MAX_ROWS:,}"}
    return render(request, "directory/bulk/index.html", context)


@staff_member_required
@portal_permission_required(Perm.BULK_DIRECTORY)
def bulk_import(request: HttpRequest, entity: str) -> HttpResponse:
    """Check the uploaded file and, if every row is right, save it; show what happened."""
    spec = _entity(entity)
    if not request.user.has_perms(spec.import_permissions):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("directory:bulk")
    form = UploadForm(request.POST, request.FILES, prefix=spec.slug)
    result = None
    if form.is_valid():
        upload: UploadedFile[bytes] = form.cleaned_data["file"]
        try:
            result = import_file(
                entity=spec.slug,
                filename=upload.name or "",
                content=upload.read(),
                actor=request.user.get_username(),
            )
        except FileRejected as exc:
            form.add_error("file", str(exc.message))
    errors = result.errors if result else []
    context = {
        "entity": spec,
        "form": form,
        "result": result,
        "shown_errors": errors[:MAX_ERRORS_SHOWN],
        "hidden_errors": max(0, len(errors) - MAX_ERRORS_SHOWN),
    }
    return render(request, "directory/bulk/result.html", context)


@staff_member_required
@portal_permission_required(Perm.BULK_DIRECTORY)
@never_cache  # staff names and e-mail addresses: no copy in a shared cache
def bulk_export(request: HttpRequest, entity: str, file_format: FileFormat) -> HttpResponse:
    spec = _entity(entity)
    if not request.user.has_perms(spec.export_permissions):
        raise PermissionDenied
    content = export_file(entity=spec.slug, file_format=file_format)
    filename = f"directory-{spec.slug}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
