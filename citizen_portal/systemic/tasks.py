"""Background work of systemic issues: thin wrappers that load by id and call a service."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task


@db_task(retries=3, retry_delay=30)
def systemic_notify(event_ids: list[int], owner_of: int | None = None) -> None:
    # Each message is stored once per (person, event) (notifications/services/delivery.py),
    # so a retry after a failure halfway tells nobody twice; the owner's note has no event
    # and could be repeated by a retry, which is harmless.
    from citizen_portal.systemic.services.notify import notify_complaint_event, notify_owner

    for event_id in event_ids:
        notify_complaint_event(event_id)
    if owner_of is not None:
        notify_owner(owner_of)


@db_periodic_task(crontab(hour="2", minute="40"))
@lock_task("systemic-grouping")
def group_persistent_clusters() -> None:
    # Daily, at night (02:40 UTC, 07:40 in Pakistan, before the offices open). The lock spares
    # a second consumer the work; a complaint already grouped is never grouped again.
    from citizen_portal.systemic.services.grouping import clusters_group

    clusters_group()
