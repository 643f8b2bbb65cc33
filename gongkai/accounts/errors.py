"""The refusal every service raises: a Chinese message, what kind of refusal, and the field.

It lives here, in the lowest app with services, so that the accounts services and those of the
apps above them (`gongkai.cases.services` re-exports it) refuse with one type, which the views
and the API turn into one answer.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A refused change. `kind` maps to HTTP: invalid → 422, conflict → 409, forbidden → 403."""

    def __init__(
        self, message: str, *, kind: str = "invalid", field: str | None = None, code: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.field = field
        # A refusal the caller can lift by confirming (e.g. an old receipt date): the form then
        # shows its checkbox, the API names its member.
        self.code = code
