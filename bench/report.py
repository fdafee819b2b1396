"""Turn one run's raw outputs (bench/run.sh writes them in a work directory) into
bench/results/<UTC timestamp>.json, a markdown table (printed) and a PNG bar chart.

Usage: python -m bench.report WORK_DIR RESULTS_DIR"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.chart import draw_chart


def _tsv(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [line.split("\t") for line in path.read_text().splitlines() if line.strip()]


def _wrk(path: Path) -> dict[str, Any]:
    for line in path.read_text().splitlines():
        if line.startswith("BENCH_JSON "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
            result["rps"] = round(result["requests"] / result["duration_s"], 1)
            return result
    raise SystemExit(f"{path}: wrk printed no BENCH_JSON line")


def _pgbench(path: Path) -> dict[str, Any]:
    text = path.read_text()
    tps = re.search(r"tps = ([\d.]+)", text)
    latency = re.search(r"latency average = ([\d.]+) ms", text)
    return {
        "tps": float(tps.group(1)) if tps else None,
        "latency_avg_ms": float(latency.group(1)) if latency else None,
    }


def _scenarios(work: Path) -> list[dict[str, Any]]:
    rows = []
    for name, concurrency, kind, floor, created in _tsv(work / "scenarios.tsv"):
        row: dict[str, Any] = {
            "scenario": name,
            "concurrency": int(concurrency),
            "kind": kind,
            "floor": floor,
        }
        row |= _wrk(work / f"{name}-c{concurrency}.wrk")
        if created:
            row["created"] = int(created)
        rows.append(row)
    queries = dict(_tsv(work / "queries.tsv"))
    for row in rows:
        # lodge_queued sends the lodge scenario's requests (count_queries counts them as lodge).
        counted = queries.get(row["scenario"].removesuffix("_queued"))
        if counted:
            row["sql_queries"] = int(counted)
    by_key = {(r["scenario"], r["concurrency"]): r for r in rows}
    for name, concurrency, waited, ticks, per_second in _tsv(work / "drain.tsv"):
        row = by_key[(name, int(concurrency))]
        row["drain_s"] = float(waited)
        lodged = row.get("created") or row["ok"]
        row["worker_cpu_ms_per_write"] = round(int(ticks) / int(per_second) * 1000 / lodged, 2)
        # Acknowledged and delivered: the writes over the load and the delivery after it.
        row["sustained_rps"] = round(lodged / (row["duration_s"] + row["drain_s"]), 1)
    for row in rows:
        base = by_key.get((row["floor"], row["concurrency"]))
        if base and base is not row and base["rps"]:
            row["ratio_to_floor"] = round(row["rps"] / base["rps"], 3)
    return rows


def _markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Benchmark {result['started']} — {result['mode']}, {result['complaints']:,} complaints "
        f"generated, {result['cores']} cores",
        "",
        "| scenario | conc | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket err | SQL/req "
        "| vs floor | created / 2xx (in flight) |",
        "| --- | --: | --: | --: | --: | --: | --: | --: | --: | --- | --: |",
    ]
    for r in result["scenarios"]:
        ratio = f"{r['ratio_to_floor']:.2f} × {r['floor']}" if "ratio_to_floor" in r else "—"
        created = ""
        if "created" in r:
            created = f"{r['created']} / {r['ok']} ({r['created'] - r['ok']:+d})"
        lines.append(
            f"| {r['scenario']} | {r['concurrency']} | {r['rps']:,.0f} | {r['p50_ms']:.1f} "
            f"| {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['non2xx']} | {r['socket_errors']} "
            f"| {r.get('sql_queries', '')} "
            f"| {ratio} | {created} |"
        )
    lines.append(f"inbox_deep is {result['deep_pages']} pages past the first (following `next`).")
    lines.append(f"lodge and suggest take turns among {result['load_citizens']} citizens' tokens.")
    for r in result["scenarios"]:
        if "drain_s" in r:
            paused = (
                " (the worker paused during the load)" if r["scenario"] == "lodge_queued" else ""
            )
            lines.append(
                f"After {r['scenario']} at concurrency {r['concurrency']}{paused} the worker "
                f"delivered the queued notifications for {r['drain_s']:.1f} s more "
                f"({r['worker_cpu_ms_per_write']:.1f} ms of worker CPU per lodge): "
                f"{r['sustained_rps']:,.0f} lodges/s acknowledged and delivered."
            )
    if result.get("panels_ms"):
        lines += ["", "Dashboard panels, uncached, in-process (median of 5; last 12 months):"]
        lines += [
            f"- {name}: {ms:.1f} ms, {result['panel_queries'][name]} queries"
            for name, ms in result["panels_ms"].items()
        ]
    pg = result["pgbench"]
    lines += ["", f"pgbench insert floor (8 clients): {pg['tps']} tps, {pg['latency_avg_ms']} ms"]
    if result["seeding_s"]:
        seeding = ", ".join(f"{k} {v:.1f} s" for k, v in result["seeding_s"].items())
    else:
        seeding = "not measured (REUSE=1: the database an earlier run seeded)"
    lines.append("Seeding: " + seeding)
    for server, kb in result["peak_rss_kb"].items():
        lines.append(f"Peak RSS per worker, {server}: " + ", ".join(f"{k // 1024} MB" for k in kb))
    return "\n".join(lines) + "\n"


def main() -> None:
    work, results = Path(sys.argv[1]), Path(sys.argv[2])
    meta = dict(_tsv(work / "meta.tsv"))
    peak: dict[str, list[int]] = {}
    for server, kb in _tsv(work / "rss.tsv"):
        peak.setdefault(server, []).append(int(kb))
    result: dict[str, Any] = {
        "started": meta["started"],
        "mode": meta["mode"],
        "complaints": int(meta["complaints"]),
        "cores": int(meta["cores"]),
        "duration_s": int(meta["duration"]),
        "deep_pages": int(meta.get("deep_pages", 0)),
        "load_citizens": int(meta.get("load_citizens", 0)),
        "seeding_s": {step: float(s) for step, s in _tsv(work / "seed.tsv")},
        "pgbench": _pgbench(work / "pgbench.txt"),
        "peak_rss_kb": peak,
        "scenarios": _scenarios(work),
        "panels_ms": {name: float(ms) for name, ms, _q in _tsv(work / "panels.tsv")},
        "panel_queries": {name: int(q) for name, _ms, q in _tsv(work / "panels.tsv")},
    }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{stamp}.json").write_text(json.dumps(result, indent=2) + "\n")
    table = _markdown(result)
    (results / f"{stamp}.md").write_text(table)
    draw_chart(result["scenarios"], results / f"{stamp}.png")
    print(table)
    print(f"Written: {results}/{stamp}.json, .md, .png")
    problems = _problems(result["scenarios"])
    if problems:
        raise SystemExit("The benchmark saw failures:\n" + "\n".join(problems))


def _problems(scenarios: list[dict[str, Any]]) -> list[str]:
    """What makes a run fail whatever its speed (SMOKE in CI included): error answers, no
    answer at all, or a write acknowledged that is not in the database."""
    found = []
    for r in scenarios:
        name = f"{r['scenario']} at concurrency {r['concurrency']}"
        if r["non2xx"]:
            found.append(f"{name}: {r['non2xx']} answers were not 2xx")
        if not r["ok"]:
            found.append(f"{name}: no request succeeded")
        if "created" in r and r["created"] < r["ok"]:
            found.append(f"{name}: {r['ok']} acknowledged but {r['created']} rows created")
    return found


if __name__ == "__main__":
    main()
