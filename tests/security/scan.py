"""`make test-security`: wapiti and sqlmap against a portal started for the purpose (see
docs/security.md, "Scanners"). Fails when a finding of medium or higher severity is not in the
triage table of docs/security.md. Raw reports go to var/security/.

    .venv/bin/python -m tests.security.scan
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from tests.security.portal import ROOT, Login, Portal
from tests.security.scanners import (
    DJANGO_CSRF_FIELD,
    MEDIUM,
    WAPITI_MODULES,
    Finding,
    Run,
    Target,
    portal_log_findings,
    run_all,
    sqlmap_findings,
    sqlmap_problems,
    sqlmap_run,
    sqlmap_tested,
    tools_missing,
    wapiti_coverage,
    wapiti_findings,
    wapiti_run,
)
from tests.security.triage import triage_load, untriaged

OUT = ROOT / "var" / "security"
DOC = ROOT / "docs" / "security.md"
# Fewer URLs and forms than this in a session's crawl: it did not get past the front door.
MIN_CRAWLED = 20
BUDGET = timedelta(minutes=8)


def sqlmap_targets(reference: str, today: str, month_ago: str) -> list[Target]:
    """The API's endpoints that take parameters into a query, each with plausible values."""
    return [
        Target("complaints-list", "citizen", "GET",
               "/api/v1/complaints/?status=assigned&kind=complaint&page_size=10"),
        Target("complaint-detail", "citizen", "GET", f"/api/v1/complaints/{reference}*/"),
        Target("lodge", "citizen", "POST", "/api/v1/complaints/",
               '{"kind": "complaint", "category": "FED-LESCO.BILL.OVER", '
               '"area": "PK-PB-LHR-LHR", "subject": "Bill three times the usual", '
               '"description": "My November bill is Rs 45,000 while I usually pay 15,000."}'),
        Target("work-inbox", "officer", "GET",
               "/api/v1/work/?tab=all&q=bill&status=assigned&category=FED-LESCO"
               "&area=PK-PB-LHR-LHR&sort=deadline"),
        Target("open311-requests", "anonymous", "GET",
               "/open311/v2/requests.json?service_code=FED-LESCO.BILL.OVER&status=open"
               f"&start_date={month_ago}&end_date={today}"),
        # Only the username reaches a query: the password and the code are compared with a
        # hash, and each try costs an Argon2 hash (sqlmap would spend minutes on them).
        Target("staff-login", "anonymous", "POST", "/api/v1/auth/staff/",
               '{"username": "lesco.se", "password": "not-the-password", "code": "123456"}',
               parameters="username"),
    ]  # fmt: skip


def summary(findings: list[Finding], failing: list[Finding]) -> str:
    rows = sorted(findings, key=lambda f: (-f.level, f.scanner, f.category, f.path))
    lines = [f"{'':2}{'severity':9}{'scanner':8}{'session':10}{'category':36}{'where'}"]
    for f in rows:
        mark = "!!" if f in failing else ""
        where = f"{f.method} {f.path}" + (f" [{f.parameter}]" if f.parameter else "")
        lines.append(
            f"{mark:2}{f.severity:9}{f.scanner:8}{f.session:10}{f.category[:35]:36}{where}"
        )
    return "\n".join(lines)


def wapiti_checks(portal: Portal, runs: dict[str, Run], logins: dict[str, Login]) -> list[str]:
    """What makes a wapiti run count: it finished and wrote its report, it crawled a real part
    of the site, and the session it ran in (and the API token) outlived it."""
    problems = []
    for who, run in runs.items():
        coverage = wapiti_coverage(run)
        (OUT / f"wapiti-{who}-crawled.txt").write_text("\n".join(coverage.crawled) + "\n")
        print(
            f"{run.name}: {len(coverage.crawled)} URLs and forms crawled (of {coverage.found} "
            f"found); modules run: "
            f"{', '.join(coverage.modules) or 'none'}; stopped by the per-module time limit "
            f"before the last resource: {', '.join(coverage.cut_short) or 'none'}",
            flush=True,
        )
        if run.timed_out:
            problems.append(f"{run.name} still running after {run.seconds:.0f} s: stopped")
        elif run.returncode != 0:
            problems.append(f"{run.name} exited with {run.returncode} (see {run.log})")
        if coverage.crashed:
            problems.append(f"{run.name} crashed (a traceback in {run.log})")
        if not (OUT / f"wapiti-{who}.json").exists():
            problems.append(f"{run.name} wrote no report (see {run.log})")
        if len(coverage.crawled) < MIN_CRAWLED:
            problems.append(
                f"{run.name} crawled {len(coverage.crawled)} URLs and forms (fewer than "
                f"{MIN_CRAWLED}): a scan that reached nothing proves nothing"
            )
        if set(WAPITI_MODULES.split(",")) - set(coverage.modules):
            problems.append(f"{run.name} did not launch every module of {WAPITI_MODULES}")
    # A scan that ended its own session tested the login page only.
    for who, page, api in (
        ("citizen", "/complaints/", "/api/v1/complaints/"),
        ("officer", "/work/", "/api/v1/work/"),
    ):
        if not portal.session_alive(logins[who], page):
            problems.append(f"the {who}'s session ended during the scan: exclude what ended it")
        if not portal.token_alive(logins[who], api):
            problems.append(f"the {who}'s API token stopped working during the scan")
    return problems


def csrf_checks(portal: Portal, findings: list[Finding], logins: dict[str, Login]) -> list[str]:
    """wapiti 3.0.4 reports every form with Django's token as lacking one (scanners.py,
    DJANGO_CSRF_FIELD); the triage of those rests on this check that the portal refuses each
    such form with a wrong token."""
    problems = []
    forms = sorted({(f.session, f.path) for f in findings if f.parameter == DJANGO_CSRF_FIELD})
    for who, path in forms:
        if not portal.csrf_refused(logins[who], path):
            problems.append(f"POST {path} with a wrong CSRF token was not refused ({who})")
    print(f"CSRF: {len(forms)} forms flagged by wapiti refuse a wrong token: "
          f"{len(forms) - len(problems)}", flush=True)  # fmt: skip
    return problems


def main() -> int:
    started = time.monotonic()
    missing = tools_missing()
    if missing:
        print(f"test-security: {', '.join(missing)} not installed: run `make scanners`",
              file=sys.stderr)  # fmt: skip
        return 2
    # 1. A clean output directory and a portal of its own.
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    rows = triage_load(DOC)  # before the slow part: a malformed table fails at once
    portal = Portal(Path(tempfile.mkdtemp(prefix="portal-security-")))
    findings: list[Finding] = []
    problems: list[str] = []
    try:
        portal.start()
        print(f"portal up at {portal.base} in {time.monotonic() - started:.0f} s", flush=True)
        # 2. The two sessions, and a complaint of the citizen's that the officer holds.
        citizen, officer = portal.citizen_login(), portal.officer_login()
        reference = portal.lodge(citizen)
        logins: dict[str, Login] = {"citizen": citizen, "officer": officer}
        for who, page in (("citizen", "/complaints/"), ("officer", "/work/")):
            if not portal.session_alive(logins[who], page):
                raise RuntimeError(f"the {who}'s session does not open {page} before the scan")
        # 3. wapiti, both sessions side by side.
        wapiti = {
            "citizen": wapiti_run(portal.base, citizen,
                                  ["/complaints/", f"/complaints/{reference}/",
                                   "/complaints/new/", "/accounts/me/", "/notifications/"], OUT),
            "officer": wapiti_run(portal.base, officer,
                                  ["/work/", f"/work/{reference}/", "/work/templates/",
                                   "/analytics/"], OUT),
        }  # fmt: skip
        run_all(list(wapiti.values()), at_once=2)
        print(f"wapiti done at {time.monotonic() - started:.0f} s", flush=True)
        for who in wapiti:
            report = OUT / f"wapiti-{who}.json"
            if report.exists():
                findings += wapiti_findings(report, who)
        problems += wapiti_checks(portal, wapiti, logins)
        problems += csrf_checks(portal, findings, logins)
        # 4. sqlmap on the API.
        today = time.strftime("%Y-%m-%d")
        month_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 30 * 86400))
        targets = sqlmap_targets(reference, today, month_ago)
        tokens = {"citizen": citizen.token, "officer": officer.token, "anonymous": ""}
        sqlmap: list[Run] = [sqlmap_run(portal.base, t, tokens[t.session], OUT) for t in targets]
        run_all(sqlmap, at_once=3)
        print(f"sqlmap done at {time.monotonic() - started:.0f} s", flush=True)
        for run, target in zip(sqlmap, targets, strict=True):
            tested = sqlmap_tested(run)
            print(f"{run.name}: {len(tested)} parameters tested ({', '.join(tested)})")
            findings += sqlmap_findings(run, target)
            problems += sqlmap_problems(run)
    finally:
        portal.stop()
        if portal.log.exists():
            shutil.copy(portal.log, OUT / "portal.log")
            findings += portal_log_findings(portal.log)
        shutil.rmtree(portal.work, ignore_errors=True)
    # 5. What was found, what is triaged, and the verdict.
    failing = untriaged(findings, rows, MEDIUM)
    (OUT / "findings.txt").write_text(summary(findings, failing) + "\n", "utf-8")
    print(summary(findings, failing))
    elapsed = timedelta(seconds=round(time.monotonic() - started))
    print(f"\n{len(findings)} findings, {len(failing)} untriaged at medium or above; {elapsed}")
    print(f"reports: {OUT.relative_to(ROOT)}/; triage: {DOC.relative_to(ROOT)}")
    if elapsed > BUDGET:
        print(f"NOTE: over the {BUDGET} budget: tighten the limits in tests/security/scanners.py")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    verdict = "FAILED" if failing or problems else "passed"
    print(f"test-security {verdict}: {len(failing)} untriaged findings, {len(problems)} problems")
    return 1 if failing or problems else 0


if __name__ == "__main__":
    sys.exit(main())
