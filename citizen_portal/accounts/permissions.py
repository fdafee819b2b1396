"""What each role may do, as explicit permission sets, and the tier a staff member's
administrative work is limited to.

Officers' and focal persons' reach over complaints comes from the positions they hold (see
complaints/services/permissions.py); these sets say which kinds of work a role does at all.
"""

from __future__ import annotations

from enum import StrEnum

from citizen_portal.accounts.models import Role, User


class Perm(StrEnum):
    LODGE = "complaint.lodge"
    ACT_ON_ASSIGNED = "complaint.act_on_assigned"
    TRIAGE = "complaint.triage"
    LODGE_ON_BEHALF = "complaint.lodge_on_behalf"
    # The mail room: enter letters with their scans, print and post the replies.
    ENTER_LETTERS = "letter.enter"
    FIND_CITIZEN = "citizen.find"
    REVEAL_DOCUMENT = "citizen.reveal_document"
    VIEW_FIGURES = "analytics.view"
    MANAGE_DIRECTORY = "directory.manage"
    BULK_DIRECTORY = "directory.bulk"
    BLOCK_ACCOUNT = "account.block"


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.CITIZEN: frozenset({Perm.LODGE}),
    Role.OFFICER: frozenset({Perm.ACT_ON_ASSIGNED}),
    Role.FOCAL_PERSON: frozenset({Perm.ACT_ON_ASSIGNED, Perm.TRIAGE}),
    Role.AGENT: frozenset({Perm.LODGE_ON_BEHALF, Perm.FIND_CITIZEN, Perm.REVEAL_DOCUMENT}),
    Role.DATA_ENTRY: frozenset({Perm.LODGE_ON_BEHALF, Perm.ENTER_LETTERS}),
    Role.ANALYST: frozenset({Perm.VIEW_FIGURES}),
    Role.ADMINISTRATOR: frozenset(
        {
            Perm.MANAGE_DIRECTORY,
            Perm.BULK_DIRECTORY,
            Perm.BLOCK_ACCOUNT,
            Perm.REVEAL_DOCUMENT,
            Perm.VIEW_FIGURES,
        }
    ),
}

# Work that spans every tier: only staff without a tier scope may do it.
NATIONAL_ONLY = frozenset({Perm.BULK_DIRECTORY})


def has_perm(user: User | None, perm: Perm) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if perm not in ROLE_PERMISSIONS.get(user.role, frozenset()):
        return False
    return not (perm in NATIONAL_ONLY and user.scope_tier_id is not None)


def in_tier_scope(user: User, tier_id: int | None) -> bool:
    """National staff reach every tier; tier staff only their own."""
    return user.scope_tier_id is None or user.scope_tier_id == tier_id
