"""Ending every session of an account at once (ASVS 7.4).

Sessions live in the database, keyed by a random id with no index by user, so they are not
looked up and deleted: each carries a hash of the user's password and session epoch
(User._get_session_auth_hash), and Django's authentication middleware refuses a session whose
hash no longer matches. Raising the epoch therefore ends every web session of the account at
its next request, in every web process, in the same transaction as the change that calls for
it. API tokens are revoked beside it (devices.devices_forget calls both).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.db.models import F
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from citizen_portal.accounts.models import User

# What a user may do: a change of any ends their sessions, so that no session carries powers
# granted or withdrawn since its login.
PRIVILEGE_FIELDS = ("role", "is_staff", "is_superuser", "scope_tier_id")
_CHANGED = "_portal_privileges_changed"


def sessions_end_all(*, user: User, keep: HttpRequest | None = None) -> None:
    """End every web session of `user`. With `keep` (the user's own request, after a change
    they made themselves), that one session carries on under a new key."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    if keep is not None:
        update_session_auth_hash(keep, user)


@receiver(pre_save, sender=User, dispatch_uid="citizen_portal.accounts.sessions.privileges")
def _note_privilege_change(sender: Any, instance: User, update_fields: Any, **kwargs: Any) -> None:
    """A saved change of role, staff or superuser status or tier (the admin's user form, a
    management command)."""
    if instance.pk is None or kwargs.get("raw"):
        return
    if update_fields is not None and not {f.removesuffix("_id") for f in update_fields} & {
        f.removesuffix("_id") for f in PRIVILEGE_FIELDS
    }:
        return  # last_login, password and the like: no query on every login
    before = User.objects.filter(pk=instance.pk).values(*PRIVILEGE_FIELDS).first()
    if before is not None and any(before[f] != getattr(instance, f) for f in PRIVILEGE_FIELDS):
        setattr(instance, _CHANGED, True)


@receiver(post_save, sender=User, dispatch_uid="citizen_portal.accounts.sessions.privileges_end")
def _end_on_privilege_change(sender: Any, instance: User, **kwargs: Any) -> None:
    if getattr(instance, _CHANGED, False):
        delattr(instance, _CHANGED)
        from citizen_portal.accounts.services.devices import devices_forget

        devices_forget(user=instance)


def _groups_changed(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    """Groups and permissions carry powers too; they change from either side of the relation."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    from citizen_portal.accounts.services.devices import devices_forget

    if not reverse:
        users = [instance]
    elif action == "pre_clear":
        users = list(instance.user_set.all())
    else:
        users = list(User.objects.filter(pk__in=kwargs.get("pk_set") or ()))
    for user in users:
        devices_forget(user=user)


m2m_changed.connect(
    _groups_changed, sender=User.groups.through, dispatch_uid="citizen_portal.sessions.groups"
)
m2m_changed.connect(
    _groups_changed,
    sender=User.user_permissions.through,
    dispatch_uid="citizen_portal.sessions.permissions",
)
