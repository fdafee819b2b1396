"""The layout of a printed reply (see printing.py): fpdf2, loaded only where letters are
printed."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from citizen_portal.mailroom.services.printing import ReplyText

# fontTools (under fpdf2) logs each font subset it makes at INFO, dozens of lines a letter.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent.parent / "fonts"
LETTERHEAD_EN = "Government of Pakistan — Citizen Portal"
LETTERHEAD_UR = "حکومتِ پاکستان — سٹیزن پورٹل"
# A DL window envelope's window: 20 mm from the left edge, 45 mm from the top, 90 × 40 mm.
WINDOW_X, WINDOW_Y, WINDOW_W = 20.0, 45.0, 90.0
MARGIN = 20.0
# Bidirectional controls (the templates isolate user text with them) print as nothing; the
# shaping engine orders the runs itself.
_CONTROLS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f\u202a\u202b\u202c"))


def _clean(text: str) -> str:
    return text.translate(_CONTROLS).replace("\r\n", "\n")


class _Letter(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_margins(MARGIN, 15, MARGIN)
        self.set_auto_page_break(auto=True, margin=20)
        for family, stem in (("sans", "NotoSans"), ("naskh", "NotoNaskhArabic")):
            self.add_font(family, "", str(FONTS / f"{stem}-Regular.ttf"))
            self.add_font(family, "B", str(FONTS / f"{stem}-Bold.ttf"))
        self.set_title("Citizen Portal")
        self.set_creator("Citizen Portal")

    def font(self, language: str, style: str = "", size: float = 11, text: str = "") -> None:
        """The language's font, the other as fallback, and its direction; given the `text`
        to print, the direction of its first letter instead (a name or address in either
        script)."""
        main, other = ("naskh", "sans") if language == "ur" else ("sans", "naskh")
        self.set_fallback_fonts([other])
        self.set_font(main, style, size)
        rtl = _starts_rtl(text) if text else language == "ur"
        self.set_text_shaping(True, direction="rtl" if rtl else "ltr")

    def line_of(self, text: str, *, align: str, height: float = 6) -> None:
        self.multi_cell(0, height, _clean(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _starts_rtl(text: str) -> bool:
    for ch in text:
        if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufefc":
            return True
        if ch.isalpha():
            return False
    return False


def _letterhead(pdf: _Letter) -> None:
    pdf.font("en", "B", 14)
    pdf.cell(0, 8, LETTERHEAD_EN, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.font("ur", "B", 15)
    pdf.cell(0, 10, LETTERHEAD_UR, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_line_width(0.4)
    pdf.line(MARGIN, pdf.get_y() + 1, pdf.w - MARGIN, pdf.get_y() + 1)


def _side(text: str) -> str:
    return "R" if _starts_rtl(text) else "L"


def _reply_address() -> str:
    return settings.PORTAL_POSTAL_ADDRESS or _("Citizen Portal")


def _address_block(pdf: _Letter, reply: ReplyText) -> None:
    # The return address, small, above the window's top edge; then the recipient in the window.
    pdf.font(reply.language, "", 7, text=_reply_address())
    pdf.set_xy(WINDOW_X, WINDOW_Y - 6)
    pdf.cell(WINDOW_W, 4, _clean(_reply_address()), align="L")
    pdf.font(reply.language, "B", 11, text=reply.name)
    pdf.set_xy(WINDOW_X, WINDOW_Y)
    pdf.multi_cell(WINDOW_W, 5.5, _clean(reply.name), align=_side(reply.name))
    pdf.font(reply.language, "", 11, text=reply.postal_address)
    pdf.set_x(WINDOW_X)
    pdf.multi_cell(WINDOW_W, 5.5, _clean(reply.postal_address), align=_side(reply.postal_address))


def _reference_block(pdf: _Letter, reply: ReplyText) -> None:
    left = WINDOW_X + WINDOW_W + 10
    width = pdf.w - MARGIN - left
    pdf.font(reply.language, "", 10)
    for label, value in (
        (_("Reference"), reply.reference),
        (_("Date"), formats.date_format(reply.written_on, "DATE_FORMAT")),
    ):
        pdf.set_x(left)
        pdf.multi_cell(width, 6, f"{label}: {value}", align="R" if reply.language == "ur" else "L")


def _how_to_reply(reference: str) -> str:
    if settings.PORTAL_HELPLINE:
        return _(
            "To answer this letter, write to %(address)s quoting the reference %(ref)s, or "
            "call the helpline on %(phone)s."
        ) % {"address": _reply_address(), "ref": reference, "phone": settings.PORTAL_HELPLINE}
    return _("To answer this letter, write to %(address)s quoting the reference %(ref)s.") % {
        "address": _reply_address(),
        "ref": reference,
    }


def _page(pdf: _Letter, reply: ReplyText) -> None:
    pdf.add_page()
    align = "R" if reply.language == "ur" else "L"
    _letterhead(pdf)
    top = pdf.get_y()
    pdf.set_y(top + 8)
    _reference_block(pdf, reply)
    _address_block(pdf, reply)
    pdf.set_y(max(pdf.get_y(), WINDOW_Y + 40) + 8)
    pdf.font(reply.language, "B", 12)
    pdf.line_of(reply.title, align=align, height=7)
    pdf.ln(2)
    pdf.font(reply.language, "", 11)
    pdf.line_of(_("Dear %(name)s,") % {"name": reply.name}, align=align)
    pdf.ln(2)
    pdf.line_of(reply.body, align=align)
    pdf.ln(4)
    pdf.line_of(_how_to_reply(reply.reference), align=align)
    pdf.ln(8)
    pdf.line_of(_("Yours faithfully,"), align=align)
    pdf.ln(6)
    pdf.font(reply.language, "B", 11)
    pdf.line_of(reply.signed_by, align=align)
    pdf.font(reply.language, "", 11)
    pdf.line_of(reply.department, align=align)
    pdf.line_of(_("Citizen Portal"), align=align)


def letters_pdf(replies: Sequence[ReplyText]) -> bytes:
    pdf = _Letter()
    for reply in replies:
        with translation.override(reply.language):
            _page(pdf, reply)
    return bytes(pdf.output())
