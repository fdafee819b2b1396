"""The focal person's response templates: the list, a new template, editing one, retiring and
restoring it (`/work/templates/`).

Only a focal person who keeps at least one department opens these pages (others: 403); a
template of a department they do not keep is answered as not found (404).
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citizen_portal.complaints.forms_focal import ResponseTemplateForm
from citizen_portal.complaints.models import ResponseTemplate
from citizen_portal.complaints.models.responses import PLACEHOLDERS
from citizen_portal.complaints.selectors.focal import departments_kept_by
from citizen_portal.complaints.selectors.responses import template_kept, templates_kept
from citizen_portal.complaints.services.responses import (
    TemplateInput,
    response_template_create,
    response_template_retire,
    response_template_update,
)
from citizen_portal.complaints.views import _user
from citizen_portal.core.decorators import View, staff_required
from citizen_portal.core.errors import ApplicationError


def keeper_required(view: View) -> View:
    """Only someone who keeps a department's templates: everyone else is refused (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not departments_kept_by(_user(request)):
            return render(request, "403.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(staff_required(wrapper), login_url="accounts:staff_login")


@keeper_required
def template_list(request: HttpRequest) -> HttpResponse:
    templates = templates_kept(_user(request))
    context = {
        "active": [t for t in templates if t.is_active],
        "retired": [t for t in templates if not t.is_active],
    }
    return render(request, "complaints/templates/list.html", context)


def _input(form: ResponseTemplateForm) -> TemplateInput:
    data = form.cleaned_data
    return TemplateInput(
        department=data["department"],
        category=data["category"],
        action=data["action"],
        title=data["title"],
        text_en=data["text_en"],
        text_ur=data["text_ur"],
    )


def _refused(form: ResponseTemplateForm, exc: ApplicationError) -> None:
    # The services name the field at fault in the error's code (text_en, category …).
    form.add_error(exc.code if exc.code in form.fields else None, exc.message)


def _edit_page(
    request: HttpRequest, form: ResponseTemplateForm, template: ResponseTemplate | None
) -> HttpResponse:
    context = {
        "form": form,
        "template": template,
        "placeholders": [(f"{{{name}}}", meaning) for name, meaning in PLACEHOLDERS.items()],
    }
    status = 400 if form.is_bound else 200
    return render(request, "complaints/templates/edit.html", context, status=status)


@keeper_required
def template_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    departments = departments_kept_by(user)
    form = ResponseTemplateForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            template = response_template_create(user=user, data=_input(form))
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The template “%(title)s” is saved.") % {"title": template})
            return redirect("complaints:templates")
    return _edit_page(request, form, None)


@keeper_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    template = template_kept(user, pk)
    departments = departments_kept_by(user)
    initial = {
        "department": template.department_id,
        "category": template.category_id,
        "action": template.action,
        "title": template.title,
        "text_en": template.text_en,
        "text_ur": template.text_ur,
    }
    form = ResponseTemplateForm(request.POST or None, initial=initial, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            response_template_update(template=template, user=user, data=_input(form))
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The template “%(title)s” is saved.") % {"title": template})
            return redirect("complaints:templates")
    return _edit_page(request, form, template)


@require_POST
@keeper_required
def template_retire(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    template = template_kept(user, pk)
    restore = request.POST.get("restore") == "1"
    response_template_retire(template=template, user=user, retired=not restore)
    if restore:
        done = _("The template “%(title)s” is offered to officers again.")
    else:
        done = _("The template “%(title)s” is retired: officers no longer see it.")
    messages.success(request, done % {"title": template})
    return redirect("complaints:templates")
