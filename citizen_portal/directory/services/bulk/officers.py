"""Staff accounts and the positions they hold now, keyed by username.

A row's positions are the positions the officer holds after the import: a position no longer
listed has its holding ended (kept as history, never deleted), a newly listed one gets a new
holding from now. A new account gets an unusable password: an administrator sets one in the
administration (passwords never travel in files)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizen_portal.accounts.models import Role, User
from citizen_portal.directory.models import Position, PositionHolding
from citizen_portal.directory.services.bulk.common import (
    BATCH_SIZE,
    Cells,
    Column,
    Counts,
    Entity,
    Errors,
    PositionKey,
    Row,
    assign,
    bad_reference_message,
    format_position,
    in_chunks,
    max_length,
    parse_position,
    position_index,
    position_reference,
    repeated_message,
    unknown_position_message,
)

STAFF_ROLES = [role.value for role in Role if role != Role.CITIZEN]
# Between the references of an officer holding more than one position (additional charge).
POSITION_SEPARATOR = "; "

COLUMNS = (
    Column(
        "username",
        gettext_lazy(
            "Login name: letters, digits and @ . + - _, not starting with +. The key: a "
            "new username adds an account, without a password until an administrator "
            "sets one."
        ),
        required=True,
    ),
    Column("full_name", gettext_lazy("Name shown to colleagues and citizens; may be empty.")),
    Column("email", gettext_lazy("E-mail address; may be empty.")),
    Column(
        "role",
        gettext_lazy("officer, focal_person, agent, data_entry, analyst or administrator."),
        required=True,
    ),
    Column(
        "positions",
        gettext_lazy(
            "The position held from now on, as “department code | office name | "
            "title”; several separated by “;” for an additional charge; empty for none. "
            "A position no longer listed is handed over: its holding ends and is kept "
            "as history."
        ),
    ),
)


def export() -> Iterator[list[str]]:
    current = (
        PositionHolding.objects.filter(ended_at__isnull=True)
        .select_related("position__office__department")
        .order_by("started_at", "pk")
    )
    staff = (
        User.objects.exclude(role=Role.CITIZEN)
        .order_by("username")
        .prefetch_related(Prefetch("holdings", queryset=current))
    )
    for user in staff:
        references = [position_reference(holding.position) for holding in user.holdings.all()]
        yield [
            user.username,
            user.full_name,
            user.email,
            user.role,
            POSITION_SEPARATOR.join(references),
        ]


@dataclass
class Wanted:
    row: Row
    values: dict[str, Any]
    positions: list[Position] = field(default_factory=list)


@dataclass
class Holdings:
    """The current holdings, both ways round."""

    holder_of: dict[int, str]  # position pk → username
    held_by: dict[str, dict[int, int]]  # username → {position pk: holding pk}

    @classmethod
    def load(cls) -> Holdings:
        holdings = cls(holder_of={}, held_by={})
        current = PositionHolding.objects.filter(ended_at__isnull=True).values_list(
            "pk", "position_id", "user__username"
        )
        for pk, position_id, username in current:
            holdings.holder_of[position_id] = username
            holdings.held_by.setdefault(username, {})[position_id] = pk
        return holdings


def plan(rows: list[Row], errors: Errors) -> Callable[[], Counts]:
    positions = position_index()
    wanted: dict[str, Wanted] = {}
    for row in rows:
        read = _read(Cells(row, errors), positions)
        if read is None:
            continue
        username, item = read
        if username in wanted:
            errors.add(row, "username", repeated_message(wanted[username].row.line))
            continue
        wanted[username] = item
    users: dict[str, User] = {}
    for chunk in in_chunks(list(wanted)):
        users.update({user.username: user for user in User.objects.filter(username__in=chunk)})
    for username, user in users.items():
        if user.role == Role.CITIZEN:
            errors.add(
                wanted[username].row,
                "username",
                _("“%(username)s” is a citizen's account: staff need an account of their own.")
                % {"username": username},
            )
    holdings = Holdings.load()
    _check_handovers(wanted, holdings, errors)
    return lambda: _write(wanted, users, holdings)


def _read(cells: Cells, positions: dict[PositionKey, Position]) -> tuple[str, Wanted] | None:
    username = cells.text("username", max_length=max_length(User, "username"), required=True)
    if username.startswith("+"):
        cells.error("username", _("Staff usernames may not start with “+”: that marks a phone."))
    elif username:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            cells.error("username", _("Use only letters, digits and @ . + - _ in a username."))
    email = cells.text("email", max_length=max_length(User, "email"))
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            cells.error("email", _("“%(value)s” is not an e-mail address.") % {"value": email})
    role = cells.text("role", max_length=None, required=True)
    if role and role not in STAFF_ROLES:
        cells.error(
            "role",
            _("“%(value)s” is not a staff role. Roles: %(roles)s.")
            % {"value": role, "roles": ", ".join(STAFF_ROLES)},
        )
    values = {
        "full_name": cells.text("full_name", max_length=max_length(User, "full_name")),
        "email": email,
        "role": role,
    }
    item = Wanted(row=cells.row, values=values, positions=_positions(cells, positions))
    return (username, item) if username else None


def _positions(cells: Cells, positions: dict[PositionKey, Position]) -> list[Position]:
    found: list[Position] = []
    for part in cells.row.cells.get("positions", "").split(";"):
        text = part.strip()
        key = parse_position(text) if text else None
        if text and key is None:
            cells.error("positions", bad_reference_message(text))
        elif key is not None and key not in positions:
            cells.error("positions", unknown_position_message(key))
        elif key is not None and positions[key] in found:
            cells.error(
                "positions",
                _("“%(reference)s” is listed twice.") % {"reference": format_position(key)},
            )
        elif key is not None:
            found.append(positions[key])
    return found


def _check_handovers(wanted: dict[str, Wanted], holdings: Holdings, errors: Errors) -> None:
    """One holder per position: a position the file gives to someone must be free once the
    file is applied, i.e. not kept by its current holder."""
    claimed: dict[int, tuple[str, int]] = {}  # position pk → (username, line)
    for username, item in wanted.items():
        for position in item.positions:
            reference = position_reference(position)
            if position.pk in claimed:
                other, line = claimed[position.pk]
                errors.add(
                    item.row,
                    "positions",
                    _(
                        "“%(reference)s” is also given to %(other)s on line %(line)s: a position "
                        "has one holder at a time."
                    )
                    % {"reference": reference, "other": other, "line": line},
                )
                continue
            claimed[position.pk] = (username, item.row.line)
            holder = holdings.holder_of.get(position.pk)
            if holder is not None and holder != username and holder not in wanted:
                errors.add(
                    item.row,
                    "positions",
                    _(
                        "“%(reference)s” is held by %(holder)s, who is not in this file. Add a row "
                        "for %(holder)s with their new position (or none) to hand it over."
                    )
                    % {"reference": reference, "holder": holder},
                )


def _write(wanted: dict[str, Wanted], users: dict[str, User], holdings: Holdings) -> Counts:
    now = timezone.now()
    counts = Counts()
    new: list[User] = []
    changed: list[User] = []
    ended: list[int] = []
    started: list[PositionHolding] = []
    for username, item in wanted.items():
        user = users.get(username)
        is_new = user is None
        if user is None:
            user = User(username=username, **item.values)
            user.set_unusable_password()
            users[username] = user
            new.append(user)
        fields_changed = not is_new and assign(user, item.values)
        if fields_changed:
            changed.append(user)
        held = holdings.held_by.get(username, {})
        keep = {position.pk for position in item.positions}
        ending = [holding for position_id, holding in held.items() if position_id not in keep]
        starting = [position for position in item.positions if position.pk not in held]
        ended.extend(ending)
        started.extend(PositionHolding(user=user, position=p, started_at=now) for p in starting)
        if not is_new and (fields_changed or ending or starting):
            counts.updated += 1
    User.objects.bulk_create(new, batch_size=BATCH_SIZE)
    User.objects.bulk_update(changed, ["full_name", "email", "role"], batch_size=BATCH_SIZE)
    # End before starting: a position handed from one row to another has one current holder at
    # a time (the one_current_holder constraint).
    for chunk in in_chunks(ended):
        PositionHolding.objects.filter(pk__in=chunk).update(ended_at=now)
    PositionHolding.objects.bulk_create(started, batch_size=BATCH_SIZE)
    counts.created = len(new)
    counts.unchanged = len(wanted) - counts.created - counts.updated
    counts.holdings_ended = len(ended)
    counts.holdings_started = len(started)
    return counts


ENTITY = Entity(
    slug="officers",
    label=gettext_lazy("Officers"),
    description=gettext_lazy(
        "Staff accounts, keyed by username, and the positions they hold now. Listing another "
        "position transfers the officer: the current holding ends (it is kept as history) and "
        "a new one starts. New accounts have no usable password: set one in the administration."
    ),
    columns=COLUMNS,
    export=export,
    plan=plan,
    import_permissions=(
        "accounts.add_user",
        "accounts.change_user",
        "directory.add_positionholding",
        "directory.change_positionholding",
    ),
    export_permissions=("accounts.view_user", "directory.view_positionholding"),
)
