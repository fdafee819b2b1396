"""Urdu as written in Pakistan: "30 نومبر 2026", the month's Urdu name from Django's catalogue,
Western digits (what Pakistan's Urdu press, forms and phones use), the Urdu comma "،" before
the time, and the South Asian grouping of thousands: 1,00,000 (a lakh), 1,00,00,000 (a crore),
as in CLDR's Urdu pattern #,##,##0.###.

Urdu has no short month names, so the short formats spell the month out too.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# ISO first: <input type="date"> sends it, and a DateInput shows its value in the first format.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-30
    "%d/%m/%Y",  # 30/11/2026
    "%d/%m/%y",  # 30/11/26
    "%d-%m-%Y",  # 30-11-2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
# Three digits, then twos: 12,34,567. Django reads (3, 2, 0) as "3, then 2 repeated".
NUMBER_GROUPING = (3, 2, 0)
