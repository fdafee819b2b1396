"""The one error type business rules raise; views turn it into a message for the user."""

from __future__ import annotations

from django_stubs_ext import StrOrPromise


class ApplicationError(Exception):
    """A refused operation, with a message fit to show the user (already translatable)."""

    def __init__(self, message: StrOrPromise, *, code: str = "invalid") -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code


class NotAllowed(ApplicationError):  # noqa: N818 (reads as the rule it states)
    """The acting user may not do this to this object."""

    def __init__(self, message: StrOrPromise, *, code: str = "forbidden") -> None:
        super().__init__(message, code=code)
