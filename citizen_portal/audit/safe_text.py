"""Text that cannot forge a log line or hide in one.

A user chooses what they type as a username, a reason or a filter; written to a log as it is,
"admin\r\n{...}" would start a second, made-up line. Every string the audit log keeps passes
through `escaped`: control characters (CR, LF, tab, NUL, ESC …), the Unicode line and paragraph
separators and the bidirectional controls that reorder what a reader sees become visible
escapes such as `\\r` or `\\u2028`, and the backslash itself is doubled so that an escape typed
by the user cannot pass for one made here.
"""

from __future__ import annotations

import unicodedata
from typing import Any

_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t", "\\": "\\\\"}
# Not control characters (category Cc), but read as line breaks or reorder text on screen.
_INVISIBLE = (
    {"\u0085", "\u2028", "\u2029", "\u200e", "\u200f", "\u061c"}
    | {chr(c) for c in range(0x202A, 0x202F)}
    | {chr(c) for c in range(0x2066, 0x206A)}
)


def _escape_char(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    if char in _INVISIBLE or unicodedata.category(char) == "Cc":
        return f"\\u{ord(char):04x}"
    return char


def escaped(text: str, limit: int | None = None) -> str:
    """`text` on one line, every control character visible; cut to `limit` characters."""
    safe = "".join(_escape_char(char) for char in str(text))
    return safe[:limit] if limit is not None else safe


def escaped_value(value: Any) -> Any:
    """A JSON-ready value with every string in it (keys too) escaped."""
    if isinstance(value, str):
        return escaped(value, 500)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, dict):
        return {escaped(str(key), 60): escaped_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [escaped_value(item) for item in items]
    return escaped(str(value), 500)
