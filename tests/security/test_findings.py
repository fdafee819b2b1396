"""The parts of `make test-security` that decide pass or fail, on reports shaped as the scanners
write them: a regression here would let a finding through without anyone noticing, since the
scan itself runs only in CI."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.security.scanners import (
    MEDIUM,
    Run,
    Target,
    portal_log_findings,
    sqlmap_findings,
    sqlmap_problems,
    wapiti_coverage,
    wapiti_findings,
)
from tests.security.triage import triage_load, untriaged

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
FORM = "POST /work/FD-1/act/remark/ HTTP/1.1\nHost: x\n\n"
MULTIPART = '--b\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\n\nabc\n--b--'


def _wapiti_report(path: Path) -> Path:
    """A report in wapiti 3.0.4's JSON layout (report/jsonreportgenerator.py)."""

    def item(level: int, path: str, request: str, parameter: str = "") -> dict[str, object]:
        return {
            "method": "POST",
            "path": path,
            "info": "…",
            "level": level,
            "parameter": parameter,
            "http_request": request,
            "curl_command": "curl …",
        }

    report = {
        "vulnerabilities": {
            "Cross Site Request Forgery": [
                item(2, "/work/FD-1/act/remark/", FORM + "csrfmiddlewaretoken=abc&remark=x"),
                item(2, "/open/form/", FORM + "remark=x"),
                item(2, "/work/FD-1/act/resolve/", FORM + MULTIPART),
            ],
            "Cross Site Scripting": [item(3, "/complaints/", FORM + "q=<script>", "q")],
        },
        "anomalies": {"Internal Server Error": [item(3, "/work/", FORM + "q=%BF", "q")]},
    }
    path.write_text(json.dumps(report), "utf-8")
    return path


def test_only_csrf_findings_on_forms_with_djangos_token_are_triaged(tmp_path: Path) -> None:
    findings = wapiti_findings(_wapiti_report(tmp_path / "r.json"), "officer")
    failing = untriaged(findings, triage_load(DOC), MEDIUM)
    assert {(f.category, f.path) for f in failing} == {
        ("Cross Site Request Forgery", "/open/form/"),
        ("Cross Site Scripting", "/complaints/"),
        ("Internal Server Error", "/work/"),
    }


def test_a_triage_row_without_a_reason_fails_the_scan(tmp_path: Path) -> None:
    doc = tmp_path / "security.md"
    doc.write_text(
        "#### Triaged scanner findings\n\n"
        "| scanner | category | path | parameter | reason |\n|---|---|---|---|---|\n"
        "| wapiti | Cross Site Scripting | * | * |  |\n",
        "utf-8",
    )
    with pytest.raises(SystemExit, match="needs all five cells and a reason"):
        triage_load(doc)


def _run(tmp_path: Path, log: str) -> Run:
    path = tmp_path / "run.log"
    path.write_text(log, "utf-8")
    return Run("sqlmap (work-inbox)", [], path, 1)


def test_a_rate_limited_sqlmap_run_fails_and_an_injection_is_high(tmp_path: Path) -> None:
    run = _run(
        tmp_path,
        "[01:24:35] [INFO] testing for SQL injection on GET parameter 'q'\n"
        "Parameter: q (GET)\n    Type: boolean-based blind\n"
        "[01:24:52] [WARNING] HTTP error codes detected during run:\n"
        "400 (Bad Request) - 87 times, 429 (Too Many Requests) - 313 times\n",
    )
    target = Target("work-inbox", "officer", "GET", "/api/v1/work/?q=bill")
    assert [(f.category, f.level, f.parameter) for f in sqlmap_findings(run, target)] == [
        ("SQL Injection", 3, "q")
    ]
    assert any("answered 429" in problem for problem in sqlmap_problems(run))


def test_a_sqlmap_run_that_tested_nothing_fails(tmp_path: Path) -> None:
    run = _run(tmp_path, "[01:24:34] [CRITICAL] connection refused\n")
    problems = sqlmap_problems(run)
    assert any("tested no parameter" in p for p in problems)
    assert any("connection refused" in p for p in problems)


def test_wapiti_coverage_reads_the_crawl_and_the_modules_cut_short(tmp_path: Path) -> None:
    log = (
        "[*] Wapiti found 185 URLs and forms during the scan\n"
        "[*] Launching module exec\nMax attack time was reached for module exec, stopping.\n"
        "[*] Launching module sql\nHard time limit reached for module sql, stopping.\n"
    )
    session = tmp_path / "session"
    session.mkdir()
    with closing(sqlite3.connect(session / "127.0.0.1_folder.db")) as conn, conn:
        conn.execute("CREATE TABLE paths (method, path, evil, headers)")
        conn.executemany(
            "INSERT INTO paths VALUES (?, ?, 0, ?)",
            [("GET", "http://x/work/", "{}"), ("POST", "http://x/accounts/logout/", None)],
        )
    run = _run(tmp_path, log)
    run.command = ["wapiti", "--store-session", str(session)]
    coverage = wapiti_coverage(run)
    assert (coverage.found, coverage.crawled, coverage.modules, coverage.cut_short) == (
        185,
        ("GET http://x/work/",),  # the queued logout form was never fetched
        ("exec", "sql"),
        ("exec", "sql"),
    )
    assert not coverage.crashed


def test_errors_in_the_portals_log_are_findings(tmp_path: Path) -> None:
    log = tmp_path / "web.log"
    records = [
        {"level": "WARNING", "message": "Bad Request: /api/v1/work/",
         "request": "<WSGIRequest: GET '/api/v1/work/?q=%27'>"},
        {"level": "ERROR", "message": "Internal Server Error: /work/FD-1/",
         "request": "<WSGIRequest: POST '/work/FD-1/?x=1'>"},
    ]  # fmt: skip
    log.write_text(
        "\n".join(json.dumps(r) for r in records)
        + "\n[2026-12-02 01:16:14 +0000] [11684] [CRITICAL] WORKER TIMEOUT (pid:11685)\n",
        "utf-8",
    )
    findings = portal_log_findings(log)
    assert [(f.level, f.method, f.path, f.info) for f in findings] == [
        (3, "POST", "/work/FD-1/", "Internal Server Error: /work/FD-1/"),
        (3, "", "", "WORKER TIMEOUT (pid:11685)"),
    ]
