"""Triaged scanner findings: a table in docs/security.md ("Triaged scanner findings"), the one
place that lists them, each with the reason a person accepted it. The scan reads the table, so
a finding cannot be waved through without the reason being written where readers look."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from tests.security.scanners import Finding

HEADING = "#### Triaged scanner findings"
COLUMNS = ["scanner", "category", "path", "parameter", "reason"]


@dataclass(frozen=True)
class Triage:
    scanner: str
    category: str
    path: str  # a glob: /work/*/
    parameter: str  # a glob; empty or * for any
    reason: str

    def covers(self, finding: Finding) -> bool:
        return (
            self.scanner == finding.scanner
            and self.category.casefold() == finding.category.casefold()
            and fnmatchcase(finding.path, self.path)
            and fnmatchcase(finding.parameter, self.parameter or "*")
        )


def _cells(line: str) -> list[str]:
    return [cell.strip().strip("`").strip() for cell in line.strip().strip("|").split("|")]


def triage_load(doc: Path) -> list[Triage]:
    """The rows of the table under HEADING; a row without a reason is an error, not a pass."""
    lines = doc.read_text("utf-8").splitlines()
    if HEADING not in lines:
        raise SystemExit(f"{doc}: no '{HEADING}' section")
    rows: list[Triage] = []
    in_table = False
    for line in lines[lines.index(HEADING) + 1 :]:
        if line.startswith("#"):
            break
        if not line.startswith("|"):
            if in_table:
                break
            continue
        cells = _cells(line)
        if not in_table:
            if [c.lower() for c in cells] != COLUMNS:
                raise SystemExit(f"{doc}: the triage table's columns must be {COLUMNS}")
            in_table = True
            continue
        if set("".join(cells)) <= set("-: "):
            continue  # the separator row
        if len(cells) != len(COLUMNS) or not cells[4]:
            raise SystemExit(f"{doc}: a triage row needs all five cells and a reason: {line}")
        rows.append(Triage(*cells))
    return rows


def untriaged(findings: list[Finding], rows: list[Triage], level: int) -> list[Finding]:
    """Findings at `level` or above that no row covers."""
    return [f for f in findings if f.level >= level and not any(r.covers(f) for r in rows)]
