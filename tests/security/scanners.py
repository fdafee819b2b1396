"""The two scanners, as Debian packages them: wapiti (crawls the website with a session and
attacks every form and query string it finds) and sqlmap (SQL injection, on the API endpoints
that take parameters). Each run is bounded in time; its raw report stays in the output
directory, and what it found comes back as `Finding`s with wapiti's severity levels."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from citizen_portal.core.tests.processes import process_stop
from tests.security.portal import Login

# wapiti's levels (wapitiCore/language/vulnerability.py); medium and above fail the build.
LEVELS = {0: "info", 1: "low", 2: "medium", 3: "high", 4: "critical"}
MEDIUM = 2

# Attacks on what the portal takes from a request, and the checks of what it answers with.
# Left out: blindsql (time-based, slow; sqlmap covers SQL injection), ssrf and xxe (they need
# wapiti's endpoint on the internet), nikto, buster and backup (lists of other products' files).
WAPITI_MODULES = (
    "xss,permanentxss,sql,exec,file,redirect,crlf,csp,http_headers,cookieflags,csrf,methods"
)
# Never followed: they end the session the scan runs in.
WAPITI_EXCLUDED = ("/accounts/logout/*", "/api/v1/auth/logout/*")
# wapiti checks its own limits only between two resources; wapiti_main.py interrupts a module
# still running at MODULE_HARD_SECONDS. The wall limit is the last resort: a run stopped there
# writes no report, and the scan fails.
CRAWL_SECONDS = 75
ATTACK_SECONDS = 10  # per module
MODULE_HARD_SECONDS = 20
WAPITI_WALL_SECONDS = 330
SQLMAP_WALL_SECONDS = 150


@dataclass(frozen=True)
class Finding:
    scanner: str  # "wapiti" or "sqlmap"
    session: str  # whose session: citizen, officer, anonymous
    category: str  # wapiti's category ("Cross Site Scripting"), or sqlmap's
    level: int
    method: str
    path: str
    parameter: str
    info: str
    request: str = field(default="", compare=False)  # the request as the scanner sent it

    @property
    def severity(self) -> str:
        return LEVELS.get(self.level, str(self.level))


@dataclass
class Run:
    """One scanner process: its command, its output file and when it must end."""

    name: str
    command: list[str]
    log: Path
    seconds: float
    process: subprocess.Popen[bytes] | None = None
    timed_out: bool = False
    returncode: int | None = None
    deadline: float = 0.0

    def start(self) -> None:
        self.deadline = time.monotonic() + self.seconds
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                self.command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def wait(self) -> int:
        """Its exit status; a run still going at its deadline (counted from its start, not
        from this call) is stopped and marked `timed_out`."""
        assert self.process is not None
        try:
            self.returncode = self.process.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.timed_out = True
            process_stop(self.process, seconds=10)
            self.returncode = -1
        return self.returncode


def run_all(runs: Sequence[Run], at_once: int) -> None:
    """Run `runs`, at most `at_once` at a time (the portal and the scanners share two cores),
    starting the next as soon as one ends."""
    pending: list[Run] = list(runs)
    running: list[Run] = []
    while pending or running:
        while pending and len(running) < at_once:
            run = pending.pop(0)
            run.start()
            running.append(run)
        time.sleep(0.5)
        for run in list(running):
            assert run.process is not None
            if run.process.poll() is not None or time.monotonic() >= run.deadline:
                run.wait()
                running.remove(run)


def tools_missing() -> list[str]:
    """The scanners not on PATH (the scan refuses to start without them: `make scanners`)."""
    return [tool for tool in ("wapiti", "sqlmap") if shutil.which(tool) is None]


# --- wapiti ---------------------------------------------------------------------------------


def wapiti_command() -> list[str]:
    """The installed wapiti through wapiti_main.py, with the interpreter its script names."""
    script = shutil.which("wapiti")
    if script is None:
        raise SystemExit("wapiti is not installed: make scanners")
    interpreter = Path(script).read_text("utf-8").splitlines()[0].removeprefix("#!").strip()
    # -I: the script's own directory (this package) stays off wapiti's import path; -u: the
    # log shows where a run is while it runs.
    return [
        "env", f"WAPITI_MODULE_HARD_SECONDS={MODULE_HARD_SECONDS}",
        *interpreter.split(), "-I", "-u", str(Path(__file__).with_name("wapiti_main.py")),
    ]  # fmt: skip


def wapiti_run(base: str, login: Login, starts: Sequence[str], out: Path) -> Run:
    """A crawl of the website with `login`'s session from `starts`, then the attacks."""
    host = urlsplit(base).hostname or "127.0.0.1"
    cookies = out / f"wapiti-{login.who}-cookies.json"
    cookies.write_text(
        json.dumps(
            {
                host: {
                    "/": {
                        name: {
                            "value": value,
                            "expires": None,
                            "secure": False,
                            "port": None,
                            "version": 0,
                        }
                        for name, value in login.cookies.items()
                    }
                }
            }
        )
    )
    command = [
        *wapiti_command(), "--url", f"{base}/", "--scope", "folder",
        "--cookie", str(cookies),
        "--module", WAPITI_MODULES,
        "--depth", "3", "--max-links-per-page", "30", "--max-files-per-dir", "15",
        "--max-parameters", "12",
        "--max-scan-time", str(CRAWL_SECONDS), "--max-attack-time", str(ATTACK_SECONDS),
        "--timeout", "10", "--scan-force", "normal",
        "--store-session", str(out / f"wapiti-{login.who}-session"),
        "--store-config", str(out / f"wapiti-{login.who}-config"),
        "--flush-session", "--no-bugreport", "--verbose", "1",
        "--format", "json", "--output", str(out / f"wapiti-{login.who}.json"),
    ]  # fmt: skip
    for start in starts:
        command += ["--start", base + start]
    for pattern in WAPITI_EXCLUDED:
        command += ["--exclude", base + pattern]
    return Run(
        f"wapiti ({login.who})", command, out / f"wapiti-{login.who}.log", WAPITI_WALL_SECONDS
    )


CRAWLED = re.compile(r"^\[\*\] Wapiti found (\d+) URLs and forms", re.MULTILINE)
CUT_SHORT = re.compile(
    r"^(?:Max attack|Hard) time (?:was reached|limit reached) for module (\w+)", re.MULTILINE
)
LAUNCHED = re.compile(r"^\[\*\] Launching module (\w+)", re.MULTILINE)
# wapiti 3.0.4 knows anti-CSRF fields by a fixed list of names that lacks Django's: every form
# carrying Django's token is reported "Lack of anti CSRF token". Such findings are given this
# field as their parameter, so that a triage row can cover them and nothing else (a form that
# lacks the token altogether keeps an empty parameter), and the scan checks that the portal
# refuses the form with a wrong token (scan.py, csrf_refused).
DJANGO_CSRF_FIELD = "csrfmiddlewaretoken"
CSRF_CATEGORY = "Cross Site Request Forgery"


@dataclass(frozen=True)
class Coverage:
    """What a wapiti run got through, from its log and its session database."""

    found: int  # URLs and forms the crawl found ("Wapiti found N"), fetched or not; -1: unsaid
    crawled: tuple[str, ...]  # "METHOD url" of those it fetched: what the attacks work on
    modules: tuple[str, ...]  # the attack modules it launched
    cut_short: tuple[str, ...]  # modules stopped by a time limit before the last resource
    crashed: bool  # a Python traceback in the log


def _crawled(session_dir: Path) -> tuple[str, ...]:
    """The resources of a wapiti session that were fetched (wapiti keeps the queue it had not
    reached in the same table, with no headers, and attacks only the fetched ones)."""
    found: list[str] = []
    for db in sorted(session_dir.glob("*.db")):
        with closing(sqlite3.connect(db)) as conn:
            found += [
                f"{method} {url}"
                for method, url in conn.execute(
                    "SELECT method, path FROM paths WHERE evil = 0 AND headers IS NOT NULL"
                )
            ]
    return tuple(sorted(found))


def wapiti_coverage(run: Run) -> Coverage:
    text = run.log.read_text("utf-8", errors="replace") if run.log.exists() else ""
    crawled = CRAWLED.findall(text)
    session_dir = Path(run.command[run.command.index("--store-session") + 1])
    return Coverage(
        found=int(crawled[-1]) if crawled else -1,
        crawled=_crawled(session_dir),
        modules=tuple(LAUNCHED.findall(text)),
        cut_short=tuple(CUT_SHORT.findall(text)),
        crashed="Traceback (most recent call last)" in text,
    )


def wapiti_findings(report: Path, session: str) -> list[Finding]:
    """Vulnerabilities and anomalies (a 500 under attack is one, at high) of a JSON report."""
    data = json.loads(report.read_text("utf-8"))
    findings = []
    for section in ("vulnerabilities", "anomalies"):
        for category, items in (data.get(section) or {}).items():
            for item in items:
                request = str(item.get("http_request") or "")
                parameter = str(item.get("parameter") or "")
                body = request.partition("\n\n")[2]  # urlencoded or multipart
                sends_token = (
                    f"{DJANGO_CSRF_FIELD}=" in body or f'name="{DJANGO_CSRF_FIELD}"' in body
                )
                if category == CSRF_CATEGORY and not parameter and sends_token:
                    parameter = DJANGO_CSRF_FIELD
                findings.append(
                    Finding(
                        scanner="wapiti",
                        session=session,
                        category=category,
                        level=int(item.get("level") or 0),
                        method=str(item.get("method") or ""),
                        path=urlsplit(str(item.get("path") or "")).path or "/",
                        parameter=parameter,
                        info=str(item.get("info") or "").replace("\n", " ")[:160],
                        request=request,
                    )
                )
    return findings


# --- sqlmap ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One endpoint for sqlmap: `path` may hold `*` where a path segment is injected."""

    name: str
    session: str
    method: str
    path: str
    body: str = ""  # JSON
    parameters: str = ""  # sqlmap's -p: only these (comma-separated); all when empty


def sqlmap_run(base: str, target: Target, token: str, out: Path) -> Run:
    # The database is SQLite for the scan (a fresh file), so only its payloads are sent; level 2
    # sends more of them than the default, risk 1 leaves out those that could rewrite rows.
    command = [
        "sqlmap", "--url", base + target.path, "--method", target.method,
        "--batch", "--dbms", "SQLite", "--level", "2", "--risk", "1",
        "--time-sec", "2", "--timeout", "10", "--retries", "1", "--threads", "2",
        "--output-dir", str(out / f"sqlmap-{target.name}"), "--flush-session",
        "--disable-coloring", "--answers", "follow=N",
        # Its WAF probe is a request with an attack in an unknown parameter, which the API
        # answers 400: not a WAF, and sqlmap goes on either way.
        "--skip-waf",
        "--headers", "Accept: application/json\nAccept-Language: en",
    ]  # fmt: skip
    if token:
        command[command.index("--headers") + 1] += f"\nAuthorization: Bearer {token}"
    if target.body:
        command += ["--data", target.body]
    if target.parameters:
        command += ["-p", target.parameters]
    return Run(
        f"sqlmap ({target.name})", command, out / f"sqlmap-{target.name}.log", SQLMAP_WALL_SECONDS
    )


INJECTABLE = re.compile(r"^Parameter: (.+?) \((\w+)\)$", re.MULTILINE)
HTTP_ERRORS = re.compile(r"HTTP error codes detected during run:\s*(.+)")


def sqlmap_findings(run: Run, target: Target) -> list[Finding]:
    """An injection point sqlmap identified (high), and server errors its payloads caused (a
    500 means some input reached a place that did not expect it: medium, to be looked at)."""
    text = run.log.read_text("utf-8", errors="replace")
    found = [
        Finding("sqlmap", target.session, "SQL Injection", 3, target.method, target.path,
                parameter, f"sqlmap identified an injection point ({place})")
        for parameter, place in INJECTABLE.findall(text)
    ]  # fmt: skip
    for codes in HTTP_ERRORS.findall(text):
        if "500" in codes:
            found.append(
                Finding("sqlmap", target.session, "Internal Server Error", 2, target.method,
                        target.path, "", codes.strip()[:160])
            )  # fmt: skip
    return found


TESTED = re.compile(r"testing for SQL injection on (.+?) '(.+?)'")
CRITICAL = re.compile(r"\[CRITICAL\] (.+)")
# sqlmap says this of answers that differ between two identical requests, then compares text.
HARMLESS_CRITICAL = ("heavily dynamic",)


def sqlmap_problems(run: Run) -> list[str]:
    """What makes a sqlmap run prove nothing, so that the scan fails rather than pass on it:
    stopped at its wall limit, answered 401, 403 or 429 (a token that no longer works or a
    rate limit: the payloads never reached a query), no parameter tested, or a critical error
    such as a refused connection."""
    text = run.log.read_text("utf-8", errors="replace") if run.log.exists() else ""
    problems = []
    if run.timed_out:
        problems.append(f"{run.name} still running after {run.seconds:.0f} s: stopped")
    codes = " ".join(HTTP_ERRORS.findall(text))
    for code in ("401", "403", "429"):
        if re.search(rf"\b{code} \(", codes):
            problems.append(f"{run.name} was answered {code} ({codes.strip()[:120]})")
    if not TESTED.search(text):
        problems.append(f"{run.name} tested no parameter (see {run.log})")
    for message in CRITICAL.findall(text):
        if not any(harmless in message for harmless in HARMLESS_CRITICAL):
            problems.append(f"{run.name}: {message.strip()[:160]}")
    return problems


def sqlmap_tested(run: Run) -> list[str]:
    """The parameters sqlmap tested, as it names them ("GET parameter 'q'")."""
    text = run.log.read_text("utf-8", errors="replace") if run.log.exists() else ""
    return sorted({f"{place} '{name}'" for place, name in TESTED.findall(text)})


# --- the portal's own log -------------------------------------------------------------------

WSGI_REQUEST = re.compile(r"<WSGIRequest: (\w+) '([^']*)'>")
GUNICORN_FAULT = re.compile(r"\[(CRITICAL|ERROR)\] (.+)")


def portal_log_findings(log: Path) -> list[Finding]:
    """Errors the portal logged while attacked (a 500's traceback, a worker killed for taking
    too long), at high like wapiti's 500: whichever scanner caused them, and even if it did not
    notice."""
    found = []
    for line in log.read_text("utf-8", errors="replace").splitlines():
        if line.startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("level") not in ("ERROR", "CRITICAL"):
                continue
            request = WSGI_REQUEST.search(str(record.get("request") or ""))
            method, path = request.groups() if request else ("", "")
            message = str(record.get("message") or "")
            found.append(
                Finding("portal", "-", "Server error", 3, method, urlsplit(path).path,
                        "", message.replace("\n", " ")[:160])
            )  # fmt: skip
        elif fault := GUNICORN_FAULT.search(line):
            found.append(
                Finding("portal", "-", "Server error", 3, "", "", "", fault.group(2)[:160])
            )
    return found
