"""The security audit log (ASVS V16): who did what to whom, when (UTC), from where, and
whether it worked. Append-only: the ORM refuses to change or delete a record, and a database
trigger refuses whatever the client (migrations/0002_append_only.py).

Records are written only through `audit.services.records.record`, which also writes the same
record as one JSON log line, so that the log collector keeps a copy the database cannot lose.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = "Audit records are append-only and cannot be changed or deleted."


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOCKED_OUT = "locked_out", _("Locked out after repeated failures")
    CODE_FAILED = "code_failed", _("Wrong one-time code")
    CODE_LOCKED = "code_locked", _("One-time code locked after wrong tries")
    PRIVILEGES_CHANGED = "privileges_changed", _("Role or status changed")
    GROUPS_CHANGED = "groups_changed", _("Groups changed")
    PERMISSIONS_CHANGED = "permissions_changed", _("Permissions changed")
    DIRECTORY_CHANGED = "directory_changed", _("Directory authority changed")
    ACCOUNT_EVENT = "account_event", _("Account event")
    DOCUMENT_REVEALED = "document_revealed", _("Identity document revealed")
    EXPORT_STARTED = "export_started", _("Export started")
    EXPORT_DOWNLOADED = "export_downloaded", _("Export downloaded")
    ACCESS_DENIED = "access_denied", _("Access denied")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Succeeded")
    FAILURE = "failure", _("Failed")
    DENIED = "denied", _("Refused")


class AuditRecordQuerySet(models.QuerySet["AuditRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise ValidationError(APPEND_ONLY)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(APPEND_ONLY)


class AuditRecord(models.Model):
    """One security event. The actor and target are kept as labels as well as ids, so that a
    record still says who and what after the account or object is gone; the actor is not a
    database constraint for the same reason (deleting a user must not rewrite the log)."""

    at = models.DateTimeField(_("when (UTC)"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Username for staff, masked number for citizens, the typed name for a failed login.
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    target_type = models.CharField(_("target type"), max_length=60, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AuditOutcome.choices)
    # REMOTE_ADDR, which core/proxy.py has already set to the client behind our proxies.
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-at", "-pk"]
        indexes = [
            # The admin's list, newest first, over the whole log.
            models.Index(fields=["at"], name="audit_at"),
            # "What did this person do?" (actor), newest first.
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            # The admin's filter by action ("every failed login this week").
            models.Index(fields=["action", "at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.outcome} {self.actor_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(APPEND_ONLY)
