"""Where the audit log listens (connected in AuditConfig.ready): logins and their failures,
django-axes lockouts, changes to what an account may do (role, staff and superuser flags,
active, groups, permissions), changes to who holds which post and where complaints are
routed, and every AccountEvent. Each receiver only describes the event; `record` writes it.

Other events are recorded where they happen, by explicit calls: wrong one-time codes
(accounts/services/otp.py), document reveals (accounts/services/reveal.py), exports
(exports/services/jobs.py, exports/views.py) and refusals (core/decorators.py, audit/views.py).
"""

from __future__ import annotations

from typing import Any

from django.db import models

from citizen_portal.accounts.models import AccountEvent, User
from citizen_portal.audit.models import AuditAction, AuditOutcome
from citizen_portal.audit.services.records import actor_label_of, masked_username, record
from citizen_portal.directory.models import PositionHolding, RoutingRule

# The fields of an account that decide what it may do.
PRIVILEGE_FIELDS = ("role", "is_staff", "is_superuser", "is_active")
_BEFORE = "_audit_privileges_before"


# --- Authentication ---------------------------------------------------------------------------


def logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    record(AuditAction.LOGIN, actor=user, target=user, request=request)


def logged_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    record(AuditAction.LOGOUT, actor=user, target=user, request=request)


def login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    # Only the username: Django has already blanked the password, but nothing else typed at
    # a login belongs in a log.
    typed = masked_username(credentials.get("username", ""))
    record(
        AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        actor_label=typed,
        target_label=typed,
        request=request,
    )


def locked_out(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    typed = masked_username(username or "")
    record(
        AuditAction.LOCKED_OUT,
        outcome=AuditOutcome.DENIED,
        actor_label=typed,
        target_label=typed,
        details={"by": "axes"},
        request=request,
    )


# --- What an account may do -------------------------------------------------------------------


def user_before_save(sender: Any, instance: User, update_fields: Any = None, **kw: Any) -> None:
    """Remember the privilege fields as stored, to compare after the save. A save that names
    its fields and none of these (the last_login of every login) costs no query."""
    if instance.pk is None or kw.get("raw"):
        return
    if update_fields is not None and not set(update_fields) & set(PRIVILEGE_FIELDS):
        return
    stored = User.objects.filter(pk=instance.pk).values(*PRIVILEGE_FIELDS).first()
    setattr(instance, _BEFORE, stored)


def user_after_save(sender: Any, instance: User, created: bool, **kw: Any) -> None:
    if kw.get("raw"):
        return
    before = instance.__dict__.pop(_BEFORE, None)
    if created:
        # A new account is news only when it starts with power.
        if instance.is_citizen and not (instance.is_staff or instance.is_superuser):
            return
        before = {"role": "", "is_staff": False, "is_superuser": False, "is_active": False}
    if before is None:
        return
    changes = {
        field: [before[field], getattr(instance, field)]
        for field in PRIVILEGE_FIELDS
        if before[field] != getattr(instance, field)
    }
    if changes:
        record(
            AuditAction.PRIVILEGES_CHANGED,
            target=instance,
            target_label=actor_label_of(instance),
            details={"changes": changes, "created": created},
        )


def _m2m_changed(kind: AuditAction, name: str, **kwargs: Any) -> None:
    operation = kwargs["action"]
    if operation not in {"post_add", "post_remove", "pre_clear"}:
        return
    instance = kwargs["instance"]
    if operation == "pre_clear":
        # Read before the clear, so that the record says what was taken away.
        ids = []
        if isinstance(instance, User):
            field = instance.groups if name == "groups" else instance.user_permissions
            ids = sorted(field.values_list("pk", flat=True))
    else:
        ids = sorted(kwargs["pk_set"] or [])
    if not ids and (operation != "pre_clear" or isinstance(instance, User)):
        return  # nothing changed (a group's clear cannot list its users cheaply: recorded)
    record(
        kind,
        target=instance,
        target_label=actor_label_of(instance) if isinstance(instance, User) else str(instance),
        # From the group's or permission's side (group.user_set.add), the ids are users'.
        details={
            "operation": operation.split("_", 1)[1],
            "users" if kwargs["reverse"] else name: ids,
        },
    )


def groups_changed(sender: Any, **kwargs: Any) -> None:
    _m2m_changed(AuditAction.GROUPS_CHANGED, "groups", **kwargs)


def permissions_changed(sender: Any, **kwargs: Any) -> None:
    _m2m_changed(AuditAction.PERMISSIONS_CHANGED, "permissions", **kwargs)


# --- Directory: who holds which post, where complaints go -------------------------------------


def _directory_details(instance: models.Model) -> dict[str, Any]:
    if isinstance(instance, PositionHolding):
        return {
            "position": instance.position_id,
            "user": instance.user_id,
            "started_at": instance.started_at.isoformat() if instance.started_at else None,
            "ended_at": instance.ended_at.isoformat() if instance.ended_at else None,
        }
    assert isinstance(instance, RoutingRule)
    return {
        "category": instance.category_id,
        "area": instance.area_id,
        "position": instance.position_id,
    }


def directory_saved(sender: Any, instance: models.Model, created: bool, **kw: Any) -> None:
    if kw.get("raw"):
        return
    details = {"operation": "created" if created else "changed", **_directory_details(instance)}
    record(AuditAction.DIRECTORY_CHANGED, target=instance, details=details)


def directory_deleted(sender: Any, instance: models.Model, **kw: Any) -> None:
    details = {"operation": "deleted", **_directory_details(instance)}
    record(AuditAction.DIRECTORY_CHANGED, target=instance, details=details)


# --- The account lifecycle ---------------------------------------------------------------------


def account_event_saved(sender: Any, instance: AccountEvent, created: bool, **kw: Any) -> None:
    if not created or kw.get("raw"):
        return
    record(
        AuditAction.ACCOUNT_EVENT,
        actor=instance.actor,
        target=instance.user,
        target_label=actor_label_of(instance.user),
        # The reason is the service's own text, already masked (accounts/services/).
        details={"event": instance.action, "reason": instance.reason},
    )


def connect() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

    uid = "citizen_portal.audit"
    user_logged_in.connect(logged_in, dispatch_uid=f"{uid}.logged_in")
    user_logged_out.connect(logged_out, dispatch_uid=f"{uid}.logged_out")
    user_login_failed.connect(login_failed, dispatch_uid=f"{uid}.login_failed")
    user_locked_out.connect(locked_out, dispatch_uid=f"{uid}.locked_out")
    pre_save.connect(user_before_save, sender=User, dispatch_uid=f"{uid}.user_pre")
    post_save.connect(user_after_save, sender=User, dispatch_uid=f"{uid}.user_post")
    m2m_changed.connect(groups_changed, sender=User.groups.through, dispatch_uid=f"{uid}.groups")
    m2m_changed.connect(
        permissions_changed, sender=User.user_permissions.through, dispatch_uid=f"{uid}.perms"
    )
    for model in (PositionHolding, RoutingRule):
        name = model._meta.model_name
        post_save.connect(directory_saved, sender=model, dispatch_uid=f"{uid}.{name}.save")
        post_delete.connect(directory_deleted, sender=model, dispatch_uid=f"{uid}.{name}.del")
    post_save.connect(account_event_saved, sender=AccountEvent, dispatch_uid=f"{uid}.event")
