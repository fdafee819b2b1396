"""The access matrix: for every route of the portal, the requests made and the roles let through.
A route added to any urls.py without an entry here fails tests/access/test_routes_covered.py.

Each Probe says which roles get through (`allowed`); every other role must be refused (sent to
log in, 401, 403, 404 or 405) and no role outside `sees` may read the objects' text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.access.actions import action_probes, reference
from tests.access.objects import Objects
from tests.access.probe import (
    ADMIN,
    AGENT,
    ALL,
    CHAIN,
    CITIZENS,
    CLERK,
    FIGURES,
    FOCAL,
    HOLDER,
    LEADERSHIP,
    NOBODY,
    OWNER,
    SIGNED_IN,
    STAFF,
    Probe,
)
from tests.access.rules_api import API, OPEN311

ref = reference


def _pk(name: str) -> Callable[[Objects], list[Any]]:
    return lambda o: [getattr(o, name).pk]


def _caller(role: str) -> Callable[[Objects], dict[str, Any]]:
    """The helpline agent's session serving this citizen (helpline/views.py, CALLER)."""
    return lambda o: {"helpline_caller": o.users[role].pk}  # type: ignore[union-attr]


CORE = [
    Probe("core:home", ALL),
    Probe("core:livez", ALL),
    Probe("core:readyz", ALL),
    Probe("core:healthz", ALL),
    # Prometheus only from an allowed address or with the scrape token: 404 to everyone else.
    Probe("core:metrics", NOBODY),
    Probe("core:csp_report", ALL, method="POST", data={"csp-report": {"blocked-uri": "inline"}}),
    Probe("core:service_worker", ALL),
    Probe("core:manifest", ALL),
    Probe("core:offline", ALL),
    Probe("core:offline_lodge", CITIZENS),
]

COMPLAINTS = [
    Probe("complaints:mine", CITIZENS),
    Probe("complaints:lodge", CITIZENS),
    Probe("complaints:lodge_where", CITIZENS),
    Probe("complaints:lodge_details", CITIZENS),
    Probe("complaints:lodge_attachments", CITIZENS),
    Probe("complaints:lodge_review", CITIZENS),
    Probe("complaints:lodge_discard", CITIZENS, method="POST"),
    # The lodge form's category suggestions as the citizen types (issue 14).
    Probe("intelligence:lodge_suggestions", CITIZENS, query="query=electricity+bill"),
    Probe("complaints:attachment", OWNER | CHAIN, args=_pk("attachment")),
    Probe("complaints:detail", OWNER, args=ref),
    Probe("complaints:detail", OWNER, method="POST", args=ref, data={"action": "feedback"}),
    Probe("complaints:inbox", STAFF),
    # Triage belongs to a department's focal person: LESCO's, and WASA's director, who is
    # WASA's focal person (their own desk, empty of LESCO's complaints).
    Probe("complaints:focal_triage", FOCAL | {"stranger"}),
    Probe("complaints:focal_desk", FOCAL | {"stranger"}),
    Probe("complaints:focal_bulk", FOCAL | {"stranger"}, method="POST"),
    Probe("complaints:focal_route", FOCAL, method="POST", args=ref, sees=CHAIN),
    Probe("complaints:templates", FOCAL | {"stranger"}),
    Probe("complaints:template_new", FOCAL | {"stranger"}),
    Probe("complaints:template_edit", FOCAL, args=_pk("template")),
    Probe("complaints:template_edit", FOCAL, method="POST", args=_pk("template")),
    Probe("complaints:template_retire", FOCAL, method="POST", args=_pk("template")),
    Probe("complaints:work_detail", CHAIN, args=ref),
    *action_probes("complaints:work_act"),
    # Actions are taken by POST only: 405 to everyone, before any check of who asks.
    Probe("complaints:work_act", NOBODY, args=lambda o: [*ref(o), "resolve"], label="resolve"),
    Probe(
        "complaints:work_resolve",
        HOLDER,
        method="POST",
        args=ref,
        data={"remark": "Resolved after a site visit to the meter."},
        sees=CHAIN,
    ),
]

ACCOUNTS = [
    Probe("accounts:login", ALL),
    Probe("accounts:register", ALL),
    Probe("accounts:register_details", ALL),
    Probe("accounts:register_email", ALL),
    Probe("accounts:reset", ALL),
    Probe("accounts:reset_password", ALL),
    Probe("accounts:staff_login", ALL),
    # The second steps of a login (the SMS code, the authenticator code or its setup) hold
    # nothing until the first step has put a pending login in the session: without one,
    # everyone, signed in or not, is sent back to the first step's login page.
    Probe("accounts:verify", NOBODY),
    Probe("accounts:staff_code", NOBODY),
    Probe("accounts:staff_setup", NOBODY),
    Probe("accounts:logout", ALL, method="POST"),
    Probe("accounts:me", CITIZENS),
    Probe("accounts:me_export", CITIZENS),
    Probe("accounts:me_phone", CITIZENS),
    Probe("accounts:me_phone_verify", CITIZENS),
    Probe("accounts:me_name", CITIZENS),
    Probe("accounts:me_name", CITIZENS, method="POST", data={"full_name": "Ayesha K."}),
    Probe("accounts:me_email", CITIZENS),
    Probe("accounts:me_email", CITIZENS, method="POST", data={"email": "a@example.pk"}),
    Probe("accounts:me_email_verify", CITIZENS),
    Probe("accounts:me_email_verify", CITIZENS, method="POST", data={"code": "123456"}),
    Probe("accounts:me_email_remove", CITIZENS, method="POST"),
]

DIRECTORY = [
    Probe("directory:route_check", ADMIN),
    Probe("directory:bulk", ADMIN),
    Probe("directory:bulk_import", ADMIN, method="POST", args=lambda o: ["departments"]),
    Probe("directory:bulk_export_csv", ADMIN, args=lambda o: ["departments"]),
    Probe("directory:bulk_export_xlsx", ADMIN, args=lambda o: ["departments"]),
    Probe("intelligence:models", ADMIN),
    Probe("intelligence:models", ADMIN, method="POST", label="train now"),
]

NOTIFICATIONS = [
    Probe("notifications:list", SIGNED_IN),
    Probe("notifications:read_all", SIGNED_IN, method="POST"),
    Probe("notifications:read", OWNER, method="POST", args=_pk("notification")),
]

ACCESSIBILITY = [
    Probe("accessibility:statement", ALL),
    Probe("accessibility:report", ALL),
    Probe("accessibility:report", ALL, method="POST", data={}),
]

INTAKE = [
    # The SMS gateway's webhook: only a request signed with the gateway's secret gets through
    # (an unsigned one: 401, whoever is signed in to the website).
    Probe("intake_sms:webhook", NOBODY, method="POST", data={"from": "+923001112233"}),
]

HELPLINE = [
    Probe("helpline:home", AGENT),
    Probe("helpline:caller", AGENT),
    Probe("helpline:caller_done", AGENT, method="POST"),
    Probe("helpline:lodge", AGENT),
    # An agent reads a complaint only while serving the citizen whose it is (the caller is in
    # the agent's session, not in the address): not with no caller, not for another caller.
    Probe("helpline:complaint", NOBODY, args=ref, label="no caller"),
    Probe(
        "helpline:complaint",
        AGENT,
        args=ref,
        session=_caller("owner"),
        label="serving the owner",
        sees=AGENT,
    ),
    Probe(
        "helpline:complaint",
        NOBODY,
        args=ref,
        session=_caller("other_citizen"),
        label="serving another citizen",
    ),
    Probe("helpline:register", AGENT),
    Probe("helpline:register_code", AGENT),
]

MAILROOM = [
    Probe("mailroom:home", CLERK, sees=CLERK),
    Probe("mailroom:enter", CLERK, sees=CLERK),
    Probe("mailroom:letter", CLERK, args=_pk("letter"), sees=CLERK),
    Probe("mailroom:dispatch", CLERK, sees=CLERK),
    Probe("mailroom:print", CLERK, method="POST", sees=CLERK),
    Probe("mailroom:printed", CLERK, method="POST", sees=CLERK),
    Probe("mailroom:reply_pdf", CLERK, args=_pk("reply"), sees=CLERK),
    Probe("mailroom:dispatched", CLERK, method="POST", args=_pk("reply"), sees=CLERK),
    Probe("mailroom:returned", CLERK, method="POST", args=_pk("reply"), sees=CLERK),
]

EXPORTS = [
    # Every member of staff has a list of their own exports; only the holder's holds his job.
    Probe("exports:jobs", STAFF, sees=HOLDER),
    Probe("exports:job", HOLDER, args=_pk("export")),
    Probe("exports:download", HOLDER, args=_pk("export")),
    Probe("exports:start", STAFF, args=lambda o: ["inbox"], sees=CHAIN),
]

# Who sees which figures is analytics/access.py's: leadership (analyst, administrator: the
# nation), a department's focal person and its head (the CEO: the department), officers (their
# office, and the posts below theirs). The stranger holds a post elsewhere: his own figures.
ANALYTICS = [
    Probe("analytics:home", FIGURES),
    Probe("analytics:map_districts", ALL),
    Probe("analytics:map_provinces", ALL),
    Probe("analytics:map_download", ALL, args=lambda o: ["districts.topo.json"]),
    Probe("analytics:officers", FIGURES),
    Probe("analytics:officer_report", CHAIN | LEADERSHIP, args=lambda o: [o.world.officers.se.pk]),
    Probe(
        "analytics:officer_report_pdf", CHAIN | LEADERSHIP, args=lambda o: [o.world.officers.se.pk]
    ),
    Probe("analytics:dashboard", LEADERSHIP, args=lambda o: ["nation", 0], label="nation"),
    Probe(
        "analytics:dashboard",
        LEADERSHIP | {"supervisor", "focal"},
        args=lambda o: ["department", o.world.lesco.pk],
        label="department",
    ),
    Probe(
        "analytics:dashboard",
        LEADERSHIP | CHAIN,
        args=lambda o: ["office", o.world.positions.se.office_id],
        label="office",
    ),
    Probe(
        "analytics:dashboard",
        LEADERSHIP | CHAIN,
        args=lambda o: ["position", o.world.positions.se.pk],
        label="position",
    ),
    Probe("transparency:page", ALL),
    Probe("transparency:data_json", ALL),
    Probe("transparency:data_csv", ALL),
    # The integrity page's scope is a form: a department or office out of the user's reach is
    # not offered, and asking for it answers 400 with the form (integrity/forms.py), the same
    # as for one that does not exist. The holder may not see his whole department, only his
    # office; the stranger neither.
    Probe(
        "integrity:flags",
        LEADERSHIP | {"supervisor", "focal"},
        path=lambda o: f"/integrity/?department={o.world.lesco.pk}",
        refused_with=frozenset({400}),
        label="department",
    ),
    Probe(
        "integrity:flags",
        LEADERSHIP | CHAIN,
        path=lambda o: (
            f"/integrity/?department={o.world.lesco.pk}&office={o.world.positions.se.office_id}"
        ),
        refused_with=frozenset({400}),
        label="office",
    ),
    # No flag is raised in this world: everyone gets 404 (integrity/tests show who sees one).
    Probe(
        "integrity:flag",
        NOBODY,
        path=lambda o: (
            f"/integrity/resolved_on_due_date/position/{o.world.positions.se.pk}/"
            f"?department={o.world.lesco.pk}"
        ),
        refused_with=frozenset({400}),
    ),
]

# Hotspot alerts (hotspots/selectors/alerts.py): the list for whoever may open a department's
# dashboard (its focal person and head; WASA's director is WASA's focal person) and leadership.
# No alert is raised in this world: one alert's pages answer 404 to everyone (hotspots/tests
# show who sees one, and who acknowledges it).
HOTSPOTS = [
    Probe("hotspots:list", LEADERSHIP | {"supervisor", "focal", "stranger"}),
    Probe("hotspots:detail", NOBODY, args=lambda o: [999999]),
    Probe("hotspots:acknowledge", NOBODY, method="POST", args=lambda o: [999999]),
]


def _systemic_issue(o: Objects) -> list[Any]:
    """The owner's complaint grouped into a systemic issue owned by the holder's post (made
    on first use, inside the probe's rolled-back savepoint)."""
    from citizen_portal.systemic.models import SystemicLink
    from citizen_portal.systemic.services.issues import systemic_issue_create

    link = SystemicLink.objects.filter(complaint=o.complaint).select_related("issue").first()
    if link is not None:
        return [link.issue.reference]
    issue = systemic_issue_create(
        complaints=[o.complaint.reference],
        title="Access-matrix issue QX-7731",
        summary="",
        owner=o.world.positions.se,
        actor=o.world.officers.se,
    )
    return [issue.reference]


def _lodge_draft(o: Objects) -> dict[str, Any]:
    """A lodge draft of the other citizen in the owner's complaint's category and district:
    what the lodge review offers similar complaints for (systemic/services/follows.py)."""
    draft = {"v": 1, "owner": o.users["other_citizen"].pk, "key": "access-matrix"}  # type: ignore[union-attr]
    draft |= {"category": o.complaint.category_id, "district": o.complaint.area_id}
    return {"lodge_draft": draft}


# Systemic issues (issue 14): an issue's page for its owner post, the posts above and the
# department's focal person; the department's list for any officer (theirs only); following
# a similar complaint for the citizen whose draft it was offered to.
SYSTEMIC = [
    Probe("systemic:list", STAFF),
    Probe("systemic:detail", CHAIN, args=_systemic_issue),
    Probe(
        "systemic:detail",
        CHAIN,
        method="POST",
        args=_systemic_issue,
        data={"action": "remark", "remark": "Crew sent"},
    ),
    Probe(
        "systemic:group",
        CHAIN,
        method="POST",
        args=ref,
        data={"title": "Access-matrix issue"},
        sees=CHAIN,
    ),
    Probe(
        "systemic:follow",
        frozenset({"other_citizen"}),
        method="POST",
        args=ref,
        session=_lodge_draft,
    ),
    Probe("systemic:unfollow", NOBODY, method="POST", args=ref),
    Probe("systemic:following", CITIZENS),
]

I18N = [Probe("set_language", ALL, method="POST", data={"language": "ur", "next": "/"})]

ADMIN_SITE = [
    # The administrator sees the full mobile number and name in /admin/ (docs/security.md).
    Probe("admin:*", ADMIN, path=lambda o: "/admin/", label="index", sees=ADMIN),
    Probe("admin:*", ADMIN, path=lambda o: "/admin/accounts/user/", label="users", sees=ADMIN),
    # Django's own login form is replaced: everyone is sent to the staff login (two factors).
    Probe("admin/login/", NOBODY, path=lambda o: "/admin/login/"),
]

PROBES: list[Probe] = [
    *CORE,
    *COMPLAINTS,
    *ACCOUNTS,
    *DIRECTORY,
    *NOTIFICATIONS,
    *ACCESSIBILITY,
    *INTAKE,
    *HELPLINE,
    *MAILROOM,
    *EXPORTS,
    *ANALYTICS,
    *HOTSPOTS,
    *SYSTEMIC,
    *I18N,
    *API,
    *OPEN311,
    *ADMIN_SITE,
]
