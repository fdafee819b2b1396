"""Demo logins. They share one published password, hashed once per run: hashing it for each
of several hundred officers would cost ~0.1 s apiece."""

from __future__ import annotations

import functools

from django.contrib.auth.hashers import make_password

from citizen_portal.accounts.models import User

# Published in the README on purpose: demo data only, refused unless DEBUG or --force.
DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105
DEMO_CITIZEN_PHONE = "+923001234567"


@functools.cache
def _password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def demo_staff(username: str, full_name: str, role: str, *, admin: bool = False) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(
            username=username,
            full_name=full_name,
            role=role,
            password=_password_hash(),
            is_staff=admin,
            is_superuser=admin,
        )
    return user
