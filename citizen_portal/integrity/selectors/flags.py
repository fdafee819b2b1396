"""The flags for one department or office and one period, and who may see them.

Computed on request, in a bounded number of queries whatever the number of complaints: the
department's resolutions (one), category windows and holidays (two), feedback fingerprints
and the staff seen at their addresses (two), staff e-mail addresses (at most one), names of
people and posts (two). Peers are always the whole department's officers (or offices), so a
flag means the same whether it is looked at from the office or the department.

A flag is a reason to look, not a verdict (docs/integrity.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from django.utils.translation import gettext as _

from citizen_portal.accounts.models import User
from citizen_portal.analytics.access import may_view_department
from citizen_portal.complaints.selectors.performance import Period
from citizen_portal.directory.models import Department, Office, Position
from citizen_portal.directory.selectors.positions import positions_below_any, positions_held
from citizen_portal.integrity.selectors import people, remarks
from citizen_portal.integrity.selectors.deadlines import DeadlineJudge
from citizen_portal.integrity.selectors.resolutions import Resolution, resolutions_in
from citizen_portal.integrity.selectors.stats import Observation, compare_with_peers
from citizen_portal.integrity.selectors.types import (
    Evidence,
    Flag,
    RemarkGroup,
    Signal,
    SubjectKind,
)

SIGNAL_ORDER = list(Signal)
# A subject of comparison: ("officer", user id), ("office", office id), or ("peer", user id)
# for an officer's resolutions outside the scope.
Key = tuple[str, int | None]


@dataclass(frozen=True)
class Scope:
    department: Department
    office: Office | None
    period: Period

    def holds(self, row: Resolution) -> bool:
        return self.office is None or row.office_id == self.office.pk


def flags_for(scope: Scope) -> list[Flag]:
    """Every flag in the scope, before anyone's reach is applied (see `flags_visible_to`)."""
    rows = resolutions_in(scope.department, scope.period)
    if not rows:
        return []
    matches = people.staff_device_matches(scope.department, scope.period, rows)
    cases = people.same_people([r for r in rows if scope.holds(r)])
    names = _names(
        {r.officer_id for r in rows} | {m.staff_id for m in matches} | {c.staff_id for c in cases}
    )
    judge = DeadlineJudge(scope.department, rows)
    flags = [
        *_rate_flags(
            Signal.DEADLINE_BUNCHING,
            scope,
            rows,
            counted=judge.counts,
            hit=judge.at_deadline,
            describe=lambda r: (
                _("resolved in the last %(n)d working days before the due date")
                % {"n": judge.window(r)}
            ),
        ),
        *_rate_flags(
            Signal.DISPUTES,
            scope,
            rows,
            counted=lambda r: True,
            hit=lambda r: r.disputed is True,
            describe=lambda r: _("the citizen disputed the resolution"),
        ),
        *_remark_flags(scope, rows),
        *_device_flags(scope, rows, matches, names),
        *_same_people_flags(scope, rows, cases, names),
    ]
    _label(flags, names, scope)
    flags.sort(key=lambda f: (SIGNAL_ORDER.index(f.signal), -(f.ratio or 0), -f.observed))
    return flags


def flags_visible_to(viewer: User, scope: Scope, flags: Sequence[Flag]) -> list[Flag]:
    """Leadership in its tier and the department's focal person or head see every flag; a
    supervisor sees the flags of officers who resolved only at posts below theirs; nobody sees
    a flag about themself. Office flags are for the department's level only."""
    whole = may_view_department(viewer, scope.department)
    below: set[int] = set()
    if not whole:
        below = {p.pk for p in positions_below_any(positions_held(viewer))}
    shown = []
    for flag in flags:
        if flag.subject == SubjectKind.OFFICE:
            if whole:
                shown.append(flag)
        elif flag.subject_id != viewer.pk and (whole or _all_below(flag, below)):
            shown.append(flag)
    return shown


def _all_below(flag: Flag, below: set[int]) -> bool:
    return bool(flag.position_ids) and flag.position_ids <= below


# --- the signals -----------------------------------------------------------------------------


def _officer_key(scope: Scope) -> Callable[[Resolution], Key]:
    """An officer's resolutions in the scope are the subject; their resolutions elsewhere in
    the department count among the peers, under a key of their own."""

    def key(r: Resolution) -> Key:
        return (SubjectKind.OFFICER if scope.holds(r) else "peer", r.officer_id)

    return key


def _office_key(r: Resolution) -> Key:
    return (SubjectKind.OFFICE, r.office_id)


def _rate_flags(
    signal: Signal,
    scope: Scope,
    rows: Sequence[Resolution],
    *,
    counted: Callable[[Resolution], bool],
    hit: Callable[[Resolution], bool],
    describe: Callable[[Resolution], str],
) -> list[Flag]:
    flags: list[Flag] = []
    for key in (_officer_key(scope), _office_key):
        judged = [r for r in rows if counted(r)]
        comparisons = compare_with_peers(Observation(key(r), r.category_id, hit(r)) for r in judged)
        for subject, comparison in comparisons.items():
            kind, subject_id = cast(Key, subject)
            if kind == "peer" or subject_id is None or not comparison.flagged:
                continue
            if kind == SubjectKind.OFFICE and (scope.office and subject_id != scope.office.pk):
                continue
            mine = [r for r in judged if key(r) == subject]
            flags.append(
                Flag(
                    signal=signal,
                    subject=SubjectKind(kind),
                    subject_id=subject_id,
                    observed=comparison.k,
                    total=comparison.n,
                    rate=100 * comparison.rate,
                    peer_rate=100 * comparison.peer_rate,
                    ratio=comparison.ratio,
                    p_value=comparison.p_value,
                    evidence=[
                        Evidence(r.reference, r.resolved_on, describe(r), due=r.due_on)
                        for r in mine
                        if hit(r)
                    ],
                    position_ids=frozenset(r.position_id for r in mine if r.position_id),
                    office_id=subject_id if kind == SubjectKind.OFFICE else None,
                )
            )
    return flags


def _by_officer(scope: Scope, rows: Sequence[Resolution]) -> dict[Key, list[Resolution]]:
    grouped: dict[Key, list[Resolution]] = defaultdict(list)
    key = _officer_key(scope)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def _remark_flags(scope: Scope, rows: Sequence[Resolution]) -> list[Flag]:
    grouped = _by_officer(scope, rows)
    counted = {k: remarks.templated(remarks.remark_groups(v)) for k, v in grouped.items()}
    in_groups = {k: sum(len(g) for g in groups) for k, groups in counted.items()}
    all_rows, all_in = len(rows), sum(in_groups.values())
    flags = []
    for key, mine in grouped.items():
        kind, officer_id = key
        if kind == "peer" or officer_id is None or not counted[key]:
            continue
        share = in_groups[key] / len(mine)
        others = all_rows - len(mine)
        peer_share = (all_in - in_groups[key]) / others if others else 0.0
        if share < max(remarks.MIN_SHARE, remarks.MIN_RATIO * peer_share):
            continue
        groups = counted[key]
        flags.append(
            Flag(
                signal=Signal.SAME_REMARKS,
                subject=SubjectKind.OFFICER,
                subject_id=officer_id,
                observed=in_groups[key],
                total=len(mine),
                rate=100 * share,
                peer_rate=100 * peer_share if others else None,
                ratio=share / peer_share if peer_share else None,
                groups=[
                    RemarkGroup(
                        excerpt=remarks.excerpt(g[0].remark),
                        references=tuple(dict.fromkeys(r.reference for r in g)),
                    )
                    for g in groups
                ],
                evidence=[
                    Evidence(r.reference, r.resolved_on, "", excerpt=remarks.excerpt(r.remark))
                    for g in groups
                    for r in g
                ],
                position_ids=frozenset(r.position_id for r in mine if r.position_id),
            )
        )
    return flags


def _device_flags(
    scope: Scope,
    rows: Sequence[Resolution],
    matches: Sequence[people.DeviceMatch],
    names: dict[int, str],
) -> list[Flag]:
    grouped: dict[int, list[people.DeviceMatch]] = defaultdict(list)
    for match in matches:
        if scope.holds(match.resolution):
            grouped[match.resolution.officer_id].append(match)
    totals = _in_scope_totals(scope, rows)
    flags = []
    for officer_id, found in grouped.items():
        if len(found) < people.MIN_DEVICE_MATCHES and not any(m.by_resolver for m in found):
            continue
        flags.append(
            Flag(
                signal=Signal.STAFF_DEVICES,
                subject=SubjectKind.OFFICER,
                subject_id=officer_id,
                observed=len(found),
                total=totals[officer_id],
                evidence=[_device_evidence(m, names) for m in found],
                position_ids=_positions_of(scope, rows, officer_id),
            )
        )
    return flags


def _device_evidence(match: people.DeviceMatch, names: dict[int, str]) -> Evidence:
    verdict = _("disputed") if match.disputed else _("satisfied")
    who = _("the resolving officer") if match.by_resolver else names.get(match.staff_id, "")
    if match.same_device:
        detail = _("feedback (%(verdict)s) from the address and browser of %(who)s")
    else:
        detail = _("feedback (%(verdict)s) from an address used by %(who)s")
    return Evidence(
        match.resolution.reference,
        match.feedback_at.date(),
        detail % {"verdict": verdict, "who": who},
    )


def _same_people_flags(
    scope: Scope,
    rows: Sequence[Resolution],
    cases: Sequence[people.SamePeople],
    names: dict[int, str],
) -> list[Flag]:
    grouped: dict[int, list[people.SamePeople]] = defaultdict(list)
    for case in cases:
        grouped[case.resolution.officer_id].append(case)
    totals = _in_scope_totals(scope, rows)
    reasons = {
        people.SameReason.ENTERED: _("entered for the citizen by the officer who resolved it"),
        people.SameReason.OWN_ACCOUNT: _("lodged from the resolving officer's own account"),
        people.SameReason.STAFF_EMAIL: _("the citizen's proved e-mail address is that of %(who)s"),
    }
    flags = []
    for officer_id, cases in grouped.items():
        if len(cases) < people.MIN_SAME_PEOPLE:
            continue
        evidence = []
        for case in cases:
            who = (
                _("the resolving officer")
                if case.staff_id == officer_id
                else names.get(case.staff_id, "")
            )
            detail = reasons[case.reason]
            if case.reason == people.SameReason.STAFF_EMAIL:
                detail = detail % {"who": who}
            row = case.resolution
            evidence.append(Evidence(row.reference, row.resolved_on, detail))
        flags.append(
            Flag(
                signal=Signal.SAME_PEOPLE,
                subject=SubjectKind.OFFICER,
                subject_id=officer_id,
                observed=len(cases),
                total=totals[officer_id],
                evidence=evidence,
                position_ids=_positions_of(scope, rows, officer_id),
            )
        )
    return flags


def _in_scope_totals(scope: Scope, rows: Sequence[Resolution]) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for row in rows:
        if scope.holds(row):
            totals[row.officer_id] += 1
    return totals


def _positions_of(scope: Scope, rows: Sequence[Resolution], officer_id: int) -> frozenset[int]:
    return frozenset(
        r.position_id
        for r in rows
        if r.officer_id == officer_id and scope.holds(r) and r.position_id is not None
    )


# --- names -----------------------------------------------------------------------------------


def _names(ids: set[int]) -> dict[int, str]:
    """Staff names: the officers, and the staff their cases point to (staff names are not
    citizens' personal data). One query."""
    return {
        pk: full_name or username
        for pk, full_name, username in User.objects.filter(pk__in=ids).values_list(
            "pk", "full_name", "username"
        )
    }


def _label(flags: list[Flag], names: dict[int, str], scope: Scope) -> None:
    """Names and places: one query for the posts of officer flags, one for offices."""
    position_ids = set().union(*(f.position_ids for f in flags)) if flags else set()
    posts = {
        p.pk: f"{p.title}, {p.office.name}"
        for p in Position.objects.filter(pk__in=position_ids).select_related("office")
    }
    office_ids = {f.subject_id for f in flags if f.subject == SubjectKind.OFFICE}
    offices = {o.pk: o.name for o in Office.objects.filter(pk__in=office_ids)}
    for flag in flags:
        if flag.subject == SubjectKind.OFFICE:
            flag.name = offices.get(flag.subject_id, "")
            flag.where = scope.department.name
        else:
            flag.name = names.get(flag.subject_id, "")
            flag.where = "; ".join(sorted(posts[p] for p in flag.position_ids if p in posts))
