"""One officer's performance report as a PDF, for the annual confidential report (ACR): the
same content as the report page (analytics/selectors/officer_report.py), on A4, in the reader's
language.

Printed as the mail room prints its letters (mailroom/services/letter_layout.py): fpdf2, the
portal's Noto Sans and Noto Naskh Arabic fonts, each the other's fallback, and HarfBuzz shaping,
here with the direction of each paragraph found from its text, so that an Urdu category name in
an English report (or a reference number in an Urdu one) reads the right way. fpdf2 and its
fonts (about 25 MB of memory) are loaded by the first report a process prints.

No citizen's personal data: complaints appear by reference, category, area and date only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citizen_portal.analytics.selectors.officer_report import Figure, OfficerReport
from citizen_portal.analytics.selectors.officer_score import (
    AREA_PRIOR,
    PRIOR_WEIGHT,
    WEIGHTS,
    AreaFactor,
    ComponentScore,
)
from citizen_portal.core.templatetags.figures import figure

if TYPE_CHECKING:
    from fpdf import FPDF

MARGIN = 15.0
# Bidirectional controls print as nothing; the shaping engine orders the runs itself.
_CONTROLS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f\u202a\u202b\u202c"))


def report_pdf(report: OfficerReport, *, language: str) -> bytes:
    from fpdf import FPDF

    from citizen_portal.mailroom.services.letter_layout import FONTS

    # fontTools (under fpdf2) logs each font subset it makes at INFO.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    for family, stem in (("sans", "NotoSans"), ("naskh", "NotoNaskhArabic")):
        pdf.add_font(family, "", str(FONTS / f"{stem}-Regular.ttf"))
        pdf.add_font(family, "B", str(FONTS / f"{stem}-Bold.ttf"))
    pdf.set_title(_("Officer performance report"))
    pdf.set_creator("Citizen Portal")
    pdf.alias_nb_pages()
    writer = _Writer(pdf, language)
    pdf.add_page()
    writer.heading(report)
    writer.score(report)
    writer.figures(report)
    for item in report.figures:
        writer.complaints(item)
    writer.method()
    return bytes(pdf.output())


def _clean(text: object) -> str:
    return str(text).translate(_CONTROLS).replace("\r\n", "\n")


class _Writer:
    def __init__(self, pdf: FPDF, language: str) -> None:
        self.pdf = pdf
        self.language = language
        self.align = "R" if language == "ur" else "L"

    def font(self, style: str = "", size: float = 10) -> None:
        main, other = ("naskh", "sans") if self.language == "ur" else ("sans", "naskh")
        self.pdf.set_fallback_fonts([other])
        self.pdf.set_font(main, style, size)
        # No direction: each paragraph's is found from its text.
        self.pdf.set_text_shaping(True)

    def para(self, text: object, *, style: str = "", size: float = 10, height: float = 5.5) -> None:
        from fpdf.enums import XPos, YPos

        self.font(style, size)
        self.pdf.multi_cell(
            0, height, _clean(text), align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def table(
        self, head: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int]
    ) -> None:
        """A table with a heading row; columns run from the right in Urdu."""
        order = (
            list(reversed(range(len(head)))) if self.language == "ur" else list(range(len(head)))
        )
        self.font(size=8.5)
        with self.pdf.table(
            col_widths=tuple(widths[i] for i in order),
            text_align="RIGHT" if self.language == "ur" else "LEFT",
            line_height=4.8,
            first_row_as_headings=True,
        ) as table:
            every: list[Sequence[object]] = [head, *rows]
            for values in every:
                row = table.row()
                for i in order:
                    row.cell(_clean(values[i]))
        self.pdf.ln(3)

    def heading(self, report: OfficerReport) -> None:
        self.para(_("Government of Pakistan — Citizen Portal"), style="B", size=12)
        self.para(_("Officer performance report (confidential)"), style="B", size=15, height=8)
        self.para(report.officer, style="B", size=12, height=7)
        posts = "; ".join(str(post) for post in report.posts) or _("No post held in this period.")
        self.para(_("Posts held:") + " " + posts)
        self.para(
            _("From %(since)s to %(until)s.")
            % {
                "since": formats.date_format(report.period.since, "SHORT_DATE_FORMAT"),
                "until": formats.date_format(report.period.until, "SHORT_DATE_FORMAT"),
            }
        )
        self.pdf.ln(3)

    def score(self, report: OfficerReport) -> None:
        self.para(_("Score"), style="B", size=13, height=7)
        value = report.score.score
        if value is None:
            self.para(_("Not scored: nothing to measure in this period."))
        else:
            self.para(
                _("%(score)s out of 100") % {"score": figure(value, 0)}
                + " "
                + _("(50 is as expected for this officer's categories and area)"),
                style="B",
                size=11,
            )
        head = [
            _("Measure"),
            _("Achieved"),
            _("Expected from peers"),
            _("After adding imaginary complaints"),
            _("Points"),
            _("Weight"),
            _("Contribution"),
        ]
        self.table(
            head, [_part_row(p) for p in report.score.components], (40, 25, 25, 25, 18, 15, 22)
        )
        for part in report.score.components:
            if not part.lines:
                continue
            self.para(_("%(measure)s: by category") % {"measure": part.label}, style="B")
            rows = [
                [
                    line.category,
                    _("%(successes)s of %(trials)s")
                    % {"successes": figure(line.successes), "trials": figure(line.trials)},
                    _("none: counted as expected")
                    if line.peer_rate is None
                    else _("%(successes)s of %(trials)s (%(percent)s%%)")
                    % {
                        "successes": figure(line.peer_successes),
                        "trials": figure(line.peer_trials),
                        "percent": figure(line.peer_percent, 1),
                    },
                    figure(line.expected, 1),
                ]
                for line in part.lines
            ]
            head = [
                _("Category"),
                _("This officer"),
                _("Other offices"),
                _("Expected for this officer"),
            ]
            self.table(head, rows, (60, 35, 45, 40))
            self.para(area_text(part.area))

    def figures(self, report: OfficerReport) -> None:
        card = report.card
        self.para(_("Figures"), style="B", size=13, height=7)
        rows: list[list[object]] = [[f.label, figure(f.value), f.what] for f in report.figures]
        rows.append(
            [
                _("Median days to resolve"),
                figure(card.median_days, 1),
                _("90th percentile: %(p90)s days") % {"p90": figure(card.p90_days, 1)},
            ]
        )
        satisfaction = card.satisfaction
        rows.append(
            [
                _("Satisfaction"),
                figure(satisfaction) if satisfaction is None else f"{figure(satisfaction, 0)}%",
                _("of %(feedback)s feedback; %(stars)s stars on average")
                % {"feedback": figure(card.feedback), "stars": figure(card.average_rating, 1)},
            ]
        )
        self.table([_("Figure"), _("Value"), _("What it counts")], rows, (50, 20, 110))

    def complaints(self, item: Figure) -> None:
        self.para(f"{item.label}: {figure(item.value)}", style="B", size=11, height=6.5)
        if not item.complaints:
            self.para(_("None."))
            return
        rows = [
            [
                c.reference,
                c.category,
                c.area,
                formats.date_format(c.on, "SHORT_DATE_FORMAT"),
                _note(c.note, c.days),
            ]
            for c in item.complaints
        ]
        head = [_("Reference"), _("Category"), _("Area"), _("Date"), _("Note")]
        self.table(head, rows, (38, 45, 30, 22, 45))
        if item.more:
            self.para(_("And %(n)s more, not listed.") % {"n": figure(item.more)})

    def method(self) -> None:
        self.para(_("How the score is worked out"), style="B", size=13, height=7)
        steps = [
            _(
                "Three things are measured: resolutions made on time; citizens' feedback that "
                "was “satisfied” (a dispute is “not satisfied”); and complaints received whose "
                "deadline was not missed (a missed deadline is escalated)."
            ),
            _(
                "For each category of complaint the officer handled, the expected result is the "
                "rate achieved on the same category by every other office in the same period, "
                "times the officer's own number of complaints. The officer's own offices are "
                "left out, so that nobody is their own benchmark, and an officer whose "
                "categories are hard everywhere is expected to achieve less."
            ),
            _(
                "The area is taken into account too: the offices of other departments in the "
                "same district (or division, or province, for an office above districts) are "
                "compared with the same categories elsewhere. If they achieve less than "
                "predicted, the district is hard for everyone, and the officer's expected rate "
                "is lowered in proportion; if more, it is raised. %(k)s imaginary expected "
                "results keep an area with little work near a factor of 1. The officer's own "
                "department is left out of the area."
            )
            % {"k": AREA_PRIOR},
            _(
                "To keep a handful of complaints from deciding the score, %(k)s imaginary "
                "complaints handled exactly at the expected rate are added to the officer's own."
            )
            % {"k": PRIOR_WEIGHT},
            _(
                "Each measure becomes points from 0 to 100: 50 is exactly as expected; above "
                "it, the share of the way from the expected rate to perfection; below it, the "
                "share of the expected rate achieved."
            ),
            _(
                "The score is the weighted mean of the measures that had something to count: "
                "on time %(on_time)s, satisfied %(satisfied)s, deadlines kept %(kept)s. Dropped "
                "complaints, days to resolve and complaints overdue today are shown but not "
                "scored."
            )
            % {str(component): figure(weight) for component, weight in WEIGHTS.items()},
        ]
        for number, step in enumerate(steps, start=1):
            self.para(f"{figure(number)}. {step}")


def area_text(area: AreaFactor) -> str:
    """The area's factor in words, as the report page says it (analytics/officers/_area.html)."""
    if not area.offices:
        return str(
            _(
                "The area: no office of another department in this officer's area had anything "
                "to compare. Factor 1."
            )
        )
    return ngettext(
        "The area: the other departments' office in this officer's area achieved "
        "%(observed)s of %(trials)s, where the same categories elsewhere predict %(expected)s. "
        "Factor %(factor)s: each category's rate from other offices is multiplied by it (at "
        "most 100%%).",
        "The area: the other departments' %(offices)s offices in this officer's area achieved "
        "%(observed)s of %(trials)s, where the same categories elsewhere predict %(expected)s. "
        "Factor %(factor)s: each category's rate from other offices is multiplied by it (at "
        "most 100%%).",
        area.offices,
    ) % {
        "offices": figure(area.offices),
        "observed": figure(area.observed),
        "trials": figure(area.trials),
        "expected": figure(area.expected, 1),
        "factor": figure(area.factor, 2),
    }


def _part_row(part: ComponentScore) -> list[object]:
    if not part.trials:
        return [part.label, _("Nothing to measure: not scored."), "", "", "", "", ""]
    return [
        part.label,
        _("%(observed)s of %(trials)s (%(percent)s%%)")
        % {
            "observed": figure(part.observed),
            "trials": figure(part.trials),
            "percent": figure(part.observed_percent, 1),
        },
        _("%(expected)s (%(percent)s%%)")
        % {"expected": figure(part.expected, 1), "percent": figure(part.expected_percent, 1)},
        f"{figure(part.adjusted_percent, 1)}%",
        figure(part.points, 1),
        figure(part.weight),
        figure(part.contribution, 1),
    ]


def _note(note: object, days: float | None) -> str:
    text = str(note)
    if days is not None:
        text += " · " + _("%(days)s days") % {"days": figure(days, 1)}
    return text
