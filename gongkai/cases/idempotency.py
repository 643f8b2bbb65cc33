"""Registration under an `Idempotency-Key`: a client that retries a POST /api/applications (a
timeout, a lost answer) gets the application its first request created instead of a second one.

The key is claimed in the registration's own transaction, so it is bound only when the
registration commits: a refused request leaves the key free. The unique (user, key) constraint
settles a race: the second of two simultaneous requests waits for the first to commit (PostgreSQL
waits on the unique index; SQLite's IMMEDIATE transactions wait for the writer), fails to insert,
and answers with the first one's application. Keys live `settings.IDEMPOTENCY_KEY_HOURS`
(docs/decisions.md, C-1); the semantics follow the IETF draft "The Idempotency-Key HTTP Header
Field" (draft-ietf-httpapi-idempotency-key-header).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.cases.models import Application, IdempotencyKey
from gongkai.cases.services import Registration, ServiceError, application_register

HEADER = "Idempotency-Key"
# Printable ASCII, 1–200 characters: a UUID, a hash or the client's own request number.
KEY_PATTERN = re.compile(r"^[\x20-\x7e]{1,200}$")


def request_hash(body: dict[str, Any]) -> str:
    """The SHA-256 of a request body in a canonical form (keys sorted, no spaces), so that a retry
    whose JSON is only laid out differently counts as the same request."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def application_register_once(
    *,
    actor: User,
    organisation: Organisation,
    data: Registration,
    key: str,
    digest: str,
    today: dt.date | None = None,
    confirm_old_received_on: bool = True,
) -> tuple[Application, bool]:
    """Register as `application_register` does, once per (actor, key): the application and
    False; or, for a retry, the application the key already names and True. The same key with
    another request body is refused (422): it is a client's mistake, and guessing which of the two
    it meant could register the wrong one."""
    with transaction.atomic():
        claim, created = _claim(actor, key, digest)
        if not created:
            return _replayed(claim, digest), True
        application = application_register(
            actor=actor,
            organisation=organisation,
            data=data,
            today=today,
            confirm_old_received_on=confirm_old_received_on,
        )
        claim.application = application
        claim.save(update_fields=["application"])
    return application, False


def _claim(actor: User, key: str, digest: str) -> tuple[IdempotencyKey, bool]:
    """The key's row, inserted now (True) or found from an earlier registration (False)."""
    cutoff = timezone.now() - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    # Expired keys of this user are forgotten, which also frees this one for reuse.
    IdempotencyKey.objects.filter(user=actor, created_at__lt=cutoff).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=actor, key=key, request_hash=digest), True
    except IntegrityError:
        pass
    found = IdempotencyKey.objects.select_related("application").get(user=actor, key=key)
    return found, False


def _replayed(claim: IdempotencyKey, digest: str) -> Application:
    if claim.request_hash != digest:
        raise ServiceError(
            f"这个 {HEADER} 已用于另一项内容不同的登记请求；重试时请原样发送请求体，"
            f"新的登记请使用新的 {HEADER}",
            field=HEADER,
        )
    if claim.application is None:  # the first request's row before its commit; cannot be seen
        raise ServiceError("同一登记请求正在处理中，请稍后重试", kind="conflict", field=HEADER)
    return claim.application
