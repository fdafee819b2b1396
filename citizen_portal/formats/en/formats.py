"""English as written in Pakistan (and Britain): day before month, 24-hour clock.

"30 November 2026", "30 Nov 2026, 14:05". Month names come from Django's catalogue.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# ISO first: <input type="date"> sends it, and a DateInput shows its value in the first format.
# Then day-first forms only; Django's American month-first ones would read 03/01 as 1 March.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-30
    "%d/%m/%Y",  # 30/11/2026
    "%d/%m/%y",  # 30/11/26
    "%d-%m-%Y",  # 30-11-2026
    "%d %b %Y",  # 30 Nov 2026
    "%d %B %Y",  # 30 November 2026
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
NUMBER_GROUPING = 3  # 1,234,567: the grouping of English-language government figures
