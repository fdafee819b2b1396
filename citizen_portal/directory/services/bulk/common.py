"""What every entity's import shares: column specs, row errors, cell parsing, position
references, tree checks and the keyed insert-or-update."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, TypeVar

from django.db import models
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from citizen_portal.directory.models import Position

BATCH_SIZE = 500
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
# "department code | office name | title": codes never hold "|", titles seldom do; an office
# name may (the office is whatever lies between the first and the last bar).
REFERENCE_SEPARATOR = " | "


class Kind(Enum):
    TEXT = "text"
    NUMBER = "number"
    FLAG = "flag"


@dataclass(frozen=True)
class Column:
    name: str
    help: StrOrPromise
    required: bool = False
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Row:
    """One data row of a file: its line (CSV) or row number (XLSX), cells by column name."""

    line: int
    cells: Mapping[str, str]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    holdings_started: int = 0
    holdings_ended: int = 0


# Given the file's rows and somewhere to put errors, an entity checks everything and returns
# the function that writes it; `api.import_rows` calls that only if no error was found.
Planner = Callable[[list[Row], "Errors"], Callable[[], Counts]]


@dataclass(frozen=True)
class Entity:
    slug: str
    label: StrOrPromise
    description: StrOrPromise
    columns: tuple[Column, ...]
    export: Callable[[], Iterable[list[str]]]
    plan: Planner
    # Django permissions needed, as for the same change in the admin.
    import_permissions: tuple[str, ...]
    export_permissions: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


@dataclass
class Errors:
    items: list[RowError] = field(default_factory=list)

    def add(self, row: Row, column: str, message: str) -> None:
        self.items.append(RowError(line=row.line, column=column, message=message))

    def __bool__(self) -> bool:
        return bool(self.items)


class Cells:
    """One row's cells, parsed. A bad cell adds an error and parsing carries on, so that one
    upload lists every problem in the file."""

    def __init__(self, row: Row, errors: Errors) -> None:
        self.row = row
        self.errors = errors

    def error(self, column: str, message: str) -> None:
        self.errors.add(self.row, column, message)

    def text(self, column: str, *, max_length: int | None, required: bool = False) -> str:
        value = self.row.cells.get(column, "").strip()
        if required and not value:
            self.error(column, _("A value is required."))
        elif max_length is not None and len(value) > max_length:
            self.error(
                column,
                _("Too long: %(length)s characters, at most %(limit)s.")
                % {"length": len(value), "limit": max_length},
            )
        return value

    def flag(self, column: str) -> bool:
        value = self.text(column, max_length=None, required=True).lower()
        if value in TRUE_WORDS:
            return True
        if value and value not in FALSE_WORDS:
            self.error(column, _("“%(value)s” is not true or false.") % {"value": value})
        return False

    def number(self, column: str, *, low: int, high: int) -> int:
        value = self.text(column, max_length=None, required=True)
        try:
            number = int(value)
        except ValueError:
            if value:
                self.error(column, _("“%(value)s” is not a whole number.") % {"value": value})
            return low
        if not low <= number <= high:
            self.error(
                column,
                _("%(value)s is out of range: from %(low)s to %(high)s.")
                % {"value": number, "low": low, "high": high},
            )
        return number

    def position(self, column: str, *, required: bool = False) -> PositionKey | None:
        """A position reference; None if the cell is empty or malformed (malformed: error)."""
        value = self.text(column, max_length=None, required=required)
        if not value:
            return None
        key = parse_position(value)
        if key is None:
            self.error(column, bad_reference_message(value))
        return key


def max_length(model: type[models.Model], name: str) -> int | None:
    """The column's length in the database: a longer value is refused before saving."""
    length = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    return int(length) if length is not None else None


def flag_text(value: bool) -> str:
    return "true" if value else "false"


def repeated_message(line: int) -> str:
    return _("Repeats line %(line)s: each key may appear only once in a file.") % {"line": line}


def unknown_department_message(code: str) -> str:
    return _("No department has the code “%(code)s”.") % {"code": code}


# --- Position references ----------------------------------------------------------------------

PositionKey = tuple[str, str, str]  # (department code, office name_en, title_en)


def parse_position(text: str) -> PositionKey | None:
    department, bar, rest = text.partition("|")
    office, bar2, title = rest.rpartition("|")
    parts = (department.strip(), office.strip(), title.strip())
    if not (bar and bar2) or not all(parts):
        return None
    return parts


def format_position(key: PositionKey) -> str:
    return REFERENCE_SEPARATOR.join(key)


def bad_reference_message(value: str) -> str:
    return _(
        "“%(value)s” is not a position reference: write it as "
        "“department code | office name | title”."
    ) % {"value": value}


def unknown_position_message(key: PositionKey) -> str:
    return _(
        "Position not found: “%(reference)s”. Check the department code, the office's English "
        "name and the English title."
    ) % {"reference": format_position(key)}


def position_key(position: Position) -> PositionKey:
    """Needs office__department loaded (select_related) to cost no query."""
    return (position.office.department.code, position.office.name_en, position.title_en)


def position_reference(position: Position | None) -> str:
    return format_position(position_key(position)) if position is not None else ""


def position_index() -> dict[PositionKey, Position]:
    """Every position by its reference, in one query."""
    positions = Position.objects.select_related("office__department")
    return {position_key(position): position for position in positions}


# --- Trees ------------------------------------------------------------------------------------

K = TypeVar("K", bound=Hashable)


# Steps of a loop named in an error message; a longer loop ends in "…".
LOOP_STEPS_SHOWN = 6


class Loops(Generic[K]):
    """The keys that are on a loop of parents (A's parent is B, B's parent is A). Found in one
    walk over the whole tree; each loop is stored once, however many keys are on it."""

    def __init__(self, parent_of: Mapping[K, K | None]) -> None:
        self.ring_of: dict[K, tuple[list[K], int]] = {}  # key → (its loop, its place on it)
        done: set[K] = set()
        for start in parent_of:
            path: dict[K, int] = {}  # key → place on the current walk
            node: K | None = start
            while node is not None and node not in done and node not in path:
                path[node] = len(path)
                node = parent_of.get(node)
            if node is not None and node in path:
                ring = list(path)[path[node] :]
                self.ring_of.update((key, (ring, index)) for index, key in enumerate(ring))
            done.update(path)

    def describe(self, key: K, name: Callable[[K], str] = str) -> str | None:
        """ "A → B → A" if `key` is on a loop, else None."""
        if key not in self.ring_of:
            return None
        ring, index = self.ring_of[key]
        shown = min(len(ring), LOOP_STEPS_SHOWN)
        steps = [name(ring[(index + step) % len(ring)]) for step in range(shown)]
        if len(ring) > shown:
            steps.append("…")
        return " → ".join([*steps, name(key)])


def ancestors(key: K, parent_of: Mapping[K, K | None]) -> list[K]:
    """`key` and everything above it (stops at a loop)."""
    chain: list[K] = []
    seen: set[K] = set()
    node: K | None = key
    while node is not None and node not in seen:
        chain.append(node)
        seen.add(node)
        node = parent_of.get(node)
    return chain


def depths(parent_of: Mapping[K, K | None]) -> dict[K, int]:
    """Depth of every key (a root is 0), each chain walked once; a loop counts as a root."""
    depth: dict[K, int] = {}
    for start in parent_of:
        chain: list[K] = []
        on_chain: set[K] = set()
        node: K | None = start
        while node is not None and node not in depth and node not in on_chain:
            chain.append(node)
            on_chain.add(node)
            node = parent_of.get(node)
        base = depth.get(node, -1) if node is not None else -1
        for offset, item in enumerate(reversed(chain), start=1):
            depth[item] = base + offset
    return depth


def creation_levels(new: Iterable[K], parent_of: Mapping[K, K | None]) -> list[list[K]]:
    """New keys in groups to create in order: a group's parents are already saved.

    Iterative, not recursive: a file may hold a chain thousands of rows long."""
    pending = set(new)
    level: dict[K, int] = {}
    for start in pending:
        chain: list[K] = []
        on_chain: set[K] = set()  # loops were refused before writing: a safety net
        node: K | None = start
        while node is not None and node in pending and node not in level and node not in on_chain:
            chain.append(node)
            on_chain.add(node)
            node = parent_of.get(node)
        base = level.get(node, -1) if node is not None else -1
        for offset, item in enumerate(reversed(chain), start=1):
            level[item] = base + offset
    groups: dict[int, list[K]] = {}
    for key, depth in level.items():
        groups.setdefault(depth, []).append(key)
    return [groups[depth] for depth in sorted(groups)]


# --- Writing ----------------------------------------------------------------------------------

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Link(Generic[K]):
    """A reference from a model to its own kind (parent, supervisor), by natural key: the
    target may be created by the same file."""

    field: str  # the attname, e.g. "parent_id"
    target_of: Mapping[K, K | None]


def upsert(
    *,
    model: type[M],
    existing: dict[K, M],
    wanted: Mapping[K, dict[str, Any]],
    link: Link[K] | None = None,
) -> Counts:
    """Insert the keys that are new (parents first), update those that changed, leave the rest.

    `wanted` values use attnames (`tier_id`), all rows the same fields; `existing` gains the
    new instances."""
    new = {key for key in wanted if key not in existing}
    levels = creation_levels(new, link.target_of) if link else [list(new)]
    manager = model._default_manager
    for group in levels:
        created = []
        for key in group:
            instance = model(**wanted[key], **_linked(key, existing, link))
            existing[key] = instance
            created.append(instance)
        manager.bulk_create(created, batch_size=BATCH_SIZE)
    changed: list[M] = []
    for key, values in wanted.items():
        if key not in new and assign(existing[key], {**values, **_linked(key, existing, link)}):
            changed.append(existing[key])
    if changed:
        names = [*next(iter(wanted.values())), *([link.field] if link else [])]
        fields = [model._meta.get_field(name).name for name in names]  # attname → field name
        manager.bulk_update(changed, fields, batch_size=BATCH_SIZE)
    return Counts(
        created=len(new), updated=len(changed), unchanged=len(wanted) - len(new) - len(changed)
    )


def _linked(key: K, existing: Mapping[K, models.Model], link: Link[K] | None) -> dict[str, Any]:
    if link is None:
        return {}
    target = link.target_of.get(key)
    return {link.field: existing[target].pk if target is not None else None}


def assign(instance: models.Model, values: Mapping[str, Any]) -> bool:
    """Set the values; True if any differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


T = TypeVar("T")


def in_chunks(items: Sequence[T], size: int = BATCH_SIZE) -> Iterable[Sequence[T]]:
    """`__in` lists short enough for any database's limit on query parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
