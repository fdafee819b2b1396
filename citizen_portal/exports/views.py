"""The export pages (/exports/): start an export of a list, follow a background job, download
its file, and see one's recent exports.

Staff only (a citizen gets 403, as on the lists themselves); each source decides who may
export its list; a job or file of anyone else's answers 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from citizen_portal.accounts.models import User
from citizen_portal.core.decorators import View, staff_required
from citizen_portal.exports.forms import ExportForm
from citizen_portal.exports.models import ExportJob
from citizen_portal.exports.selectors.jobs import job_expires_at, job_file_of, job_of, jobs_of
from citizen_portal.exports.services.jobs import Download, export_downloaded, export_request
from citizen_portal.exports.services.sources import ExportRefused, UnknownSource, source_named

REFUSAL_STATUS = {"forbidden": 403, "busy": 429}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def staff_page(view: View) -> View:
    return login_required(staff_required(view), login_url="accounts:staff_login")


@require_http_methods(["GET", "POST"])
@staff_page
def start(request: HttpRequest, source: str) -> HttpResponse:
    """POST (the list's export buttons): the file, or a redirect to the job's page. GET: the
    same choice on a page of its own, for an address typed or bookmarked."""
    try:
        chosen = source_named(source)
    except UnknownSource:
        raise Http404 from None
    form = ExportForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        status = 400 if form.is_bound else 200
        context = {"form": form, "label": chosen.label, "query": request.GET.urlencode()}
        return render(request, "exports/start.html", context, status=status)
    try:
        result = export_request(
            user=_user(request),
            source_name=source,
            params=request.GET,
            file_format=form.cleaned_data["format"],
        )
    except ExportRefused as refusal:
        status = REFUSAL_STATUS.get(refusal.code, 400)
        return render(request, "exports/refused.html", {"refusal": refusal}, status=status)
    if isinstance(result, Download):
        response = HttpResponse(result.content, content_type=result.content_type)
        response["Content-Disposition"] = content_disposition_header(True, result.filename)
        return response
    return redirect("exports:job", pk=result.pk)


def _job_or_404(request: HttpRequest, pk: int) -> ExportJob:
    try:
        return job_of(_user(request), pk)
    except ExportJob.DoesNotExist:
        raise Http404 from None


@staff_page
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress; htmx asks for the status part again every 2 seconds until the job
    has finished (templates/exports/_job_status.html)."""
    export = _job_or_404(request, pk)
    context = {"job": export, "expires_at": job_expires_at(export), "label": _label(export)}
    if request.headers.get("HX-Request"):
        return render(request, "exports/_job_status.html", context)
    return render(request, "exports/job.html", context)


@login_required(login_url="accounts:staff_login")
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    if _user(request).is_citizen:  # as staff_required, for a response that streams
        return render(request, "core/wrong_account.html", status=403)
    try:
        export = job_file_of(_user(request), pk)
    except ExportJob.DoesNotExist:
        raise Http404 from None
    try:
        opened = export.file.open("rb")
    except OSError:  # deleted by the sweep between the check and now
        raise Http404 from None
    export_downloaded(user=_user(request), job=export)
    return FileResponse(opened, as_attachment=True, filename=export.download_name)


@staff_page
def jobs(request: HttpRequest) -> HttpResponse:
    exports = [(export, _label(export)) for export in jobs_of(_user(request))]
    context = {"exports": exports, "retention_days": settings.EXPORT_RETENTION_DAYS}
    return render(request, "exports/jobs.html", context)


def _label(export: ExportJob) -> str:
    try:
        return str(source_named(export.source).label)
    except UnknownSource:
        return export.source
