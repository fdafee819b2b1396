"""`make audit-deps`: pip-audit against the pinned dependencies (requirements/lock.txt).

A known vulnerability in any pinned package fails. pip-audit asks an advisory service on the
internet (PyPI's JSON API, or OSV with AUDIT_SERVICE=osv) about each package and version; where
that service cannot be reached, every package comes back "could not be audited". That is said
loudly, with the reason, and is not a pass: the exit status is 3 so that a caller can tell it
from a clean audit (0) and from a vulnerability found (1). `.ci/run` lets a 3 through with the
warning in its log, because the machines it runs on reach no advisory service today
(docs/security.md, "Dependencies").

    .venv/bin/python -m tests.security.dependencies <path to pip-audit>
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
UNREACHABLE = 3


def main(pip_audit: str) -> int:
    service = os.environ.get("AUDIT_SERVICE", "pypi")
    command = [
        pip_audit, "-r", str(LOCK), "--no-deps", "--disable-pip", "-s", service, "-f", "json",
        "--progress-spinner", "off",
    ]  # fmt: skip
    result = subprocess.run(  # noqa: S603 (our own command line, no outside input)
        command, capture_output=True, text=True, timeout=900, check=False
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"DEPENDENCY AUDIT NOT DONE: pip-audit could not ask {service}: {last}")
        return UNREACHABLE
    packages = report["dependencies"]
    vulnerable = [p for p in packages if p.get("vulns")]
    skipped = [p for p in packages if p.get("skip_reason")]
    for package in vulnerable:
        for vuln in package["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release"
            name, version = package["name"], package["version"]
            print(f"VULNERABLE {name} {version}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        return 1
    if skipped and len(skipped) == len(packages):
        print(
            f"DEPENDENCY AUDIT NOT DONE: none of the {len(packages)} pinned packages could be "
            f"audited; {service} answered: {skipped[0]['skip_reason']}"
        )
        return UNREACHABLE
    for package in skipped:
        print(f"NOT AUDITED {package['name']}: {package['skip_reason']}")
    print(f"{len(packages) - len(skipped)} pinned packages audited: no known vulnerability")
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
