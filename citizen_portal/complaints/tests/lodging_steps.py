"""Walking the step-by-step lodge form with Django's test client, as a citizen without
JavaScript would: each step a form post. Shared by the page tests that lodge on the web."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

SUBJECT = "Bill three times the usual"
DESCRIPTION = "My November bill is Rs 45,000 while I usually pay Rs 15,000."


def step_url(step: str) -> str:
    return reverse("complaints:lodge" if step == "what" else f"complaints:lodge_{step}")


def review_key(page: str) -> str:
    match = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert match, "the review carries a submission key"
    return match.group(1)


def fill_steps(
    client: Any,
    world: Any,
    *,
    kind: str = "complaint",
    category: Any = None,
    area: Any = None,
    tehsil: Any = None,
    subject: str = SUBJECT,
    description: str = DESCRIPTION,
    against: Any = None,
    files: list[Any] | None = None,
    where: dict[str, str] | None = None,
) -> str:
    """Steps 1 to 4, each expected to move on; returns the review page's submission key."""
    category = category or world.overbilling
    answers = [
        ("what", {"kind": kind, "department": category.department_id, "category": category.pk}),
        (
            "where",
            {
                "district": (area or world.lahore).pk,
                "tehsil": tehsil.pk if tehsil is not None else "",
                **(where or {}),
            },
        ),
        (
            "details",
            {
                "subject": subject,
                "description": description,
                "against": against.pk if against is not None else "",
            },
        ),
        ("attachments", {"files": files} if files else {}),
    ]
    for step, data in answers:
        response = client.post(step_url(step), {**data, "action": "next"})
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    review = client.get(step_url("review"))
    assert review.status_code == 200
    return review_key(review.content.decode())


def lodge_on_the_web(client: Any, world: Any, *, follow: bool = False, **answers: Any) -> Any:
    """All five steps; returns the answer to sending the review."""
    key = fill_steps(client, world, **answers)
    return client.post(step_url("review"), {"idempotency_key": key}, follow=follow)
