"""Demo offices, positions, officers, routing rules and one citizen, for `make run`.

Idempotent: running it twice changes nothing. Departments left out stay off the portal (their
categories are not offered) until an administrator gives them a focal position.
"""

from __future__ import annotations

from django.db import transaction

from citizen_portal.accounts.models import Role, User
from citizen_portal.directory.services.demo.accounts import (
    DEMO_CITIZEN_PHONE,
    DEMO_PASSWORD,
    demo_staff,
)
from citizen_portal.directory.services.demo.named import seed_named_offices
from citizen_portal.directory.services.demo.network import seed_network

__all__ = ["DEMO_CITIZEN_PHONE", "DEMO_PASSWORD", "demo_seed"]


@transaction.atomic
def demo_seed() -> list[tuple[str, str]]:
    """Create the demo set; returns (login, what it is) pairs to print."""
    logins = seed_named_offices()
    generated = seed_network()
    demo_staff("admin", "Portal administrator", Role.ADMINISTRATOR, admin=True)
    logins.insert(0, ("admin", "administrator (/admin/)"))
    if generated:
        logins.append(("…", f"{generated} more officers, e.g. pb-police.lhr.district"))
    if not User.objects.filter(phone=DEMO_CITIZEN_PHONE).exists():
        User.objects.create_citizen(phone=DEMO_CITIZEN_PHONE, full_name="Ayesha Khan")
    return logins
