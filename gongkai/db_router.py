"""Reads of reports and ledgers on a PostgreSQL replica (DATABASE_REPLICA_URL), everything else on
the primary (decision MS-3).

A streaming replica lags the primary by a fraction of a second. A request that writes and then
reads what it wrote must read the primary, so the replica is never chosen by model or by app: only
a view marked `@replica_view` (a GET that shows a report, a ledger, an export or statistics)
reads there, only the rows of the record-keeping apps (`REPLICA_APPS`: applications, reports,
documents, supervision, the 专栏), and even then

- every write goes to the primary (`db_for_write` names it: an object read from the replica would
  otherwise be saved back to where it came from),
- once the request has written anything (an audit entry of an export, a cache row), its later
  reads go to the primary too, and
- a read inside a transaction of the primary (`transaction.atomic()`, `select_for_update`) stays
  there, where the transaction can see its own rows.

Sessions, users, memberships, lockouts, second factors, the audit trail and the task queue are
always read on the primary: a session created by the login a moment ago, or a membership withdrawn
a moment ago, must count at once.

Without DATABASE_REPLICA_URL the marking does nothing: one database serves every read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest
from django.http.response import HttpResponseBase

REPLICA = "replica"
REPLICA_APPS = frozenset({"cases", "reports", "disclosure", "supervision", "portal"})


@dataclass
class _Scope:
    """One `replica_reads` block: whether it has written to the primary yet."""

    wrote: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("gongkai_replica_scope", default=None)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let the reads of this block go to the replica (until the block writes)."""
    token = _scope.set(_Scope())
    try:
        yield
    finally:
        _scope.reset(token)


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def replica_view(view: View) -> View:
    """Mark a view that only reads: its GET and HEAD requests read from the replica."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _app_label(model: type) -> str:
    meta = getattr(model, "_meta", None)
    return str(meta.app_label) if meta is not None else ""


class ReplicaRouter:
    """Django database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        scope = _scope.get()
        if (
            scope is None
            or scope.wrote
            or _app_label(model) not in REPLICA_APPS
            or not replica_configured()
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: type, **hints: Any) -> str:
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: an object read from either may point to one
        # read from the other.
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A replica is read-only and follows the primary's schema by replication.
        return db != REPLICA
