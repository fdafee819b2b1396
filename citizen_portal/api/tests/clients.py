"""API clients signed in as a given user, as an app holding a token would be."""

from __future__ import annotations

from rest_framework.test import APIClient

from citizen_portal.accounts.models import User
from citizen_portal.api.services.tokens import token_issue


def api_for(user: User) -> APIClient:
    """A client with a fresh token of `user` (staff tokens carry the second factor)."""
    client = APIClient()
    _token, raw = token_issue(user=user, second_factor=not user.is_citizen)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client
