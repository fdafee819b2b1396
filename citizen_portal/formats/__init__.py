"""Date and number formats per language (settings.FORMAT_MODULE_PATH).

Django has no format module for Urdu and its English one is American ("Nov. 30, 2026",
"11/30/2026"); these two say how Pakistan writes dates and numbers. Templates use the format
names (DATE_FORMAT, SHORT_DATE_FORMAT, DATETIME_FORMAT, SHORT_DATETIME_FORMAT), never a fixed
pattern, so that each language gets its own.
"""
