"""Registration under an `Idempotency-Key`: a client that retries a POST /api/applications (a
timeout, a lost answer) gets the application its first request created instead of a second one.

The key is claimed in the registration's own transaction, so it is bound only when the
registration commits: a refused request leaves the key free. The unique (user, key) constraint
settles a race: the second of two simultaneous requests waits for the first to commit (PostgreSQL
waits on the unique index; SQLite's IMMEDIATE transactions wait for the writer), fails to insert,
and answers with the first one's application. Keys live `settings.IDEMPOTENCY_KEY_HOURS`
(docs/decisions.md, C-1); the semantics follow the IETF draft "The Idempotency-Key HTTP Header
Field" (draft-ietf-httpapi-idempotency-key-header).

The 专栏's online application has the same guard without an account: its form carries a random
submission key (`submit_online_once`), so that a retry — a double click, or a client resending
after the server it reached died before answering (several app servers behind nginx, docs/
scaling.md) — gets the first receipt, with the same 查询码, instead of a second application
(decision MS-5).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.cases.models import Application, IdempotencyKey, OnlineSubmission
from gongkai.cases.online import Submitted, code_digest, lookup_code_for_key
from gongkai.cases.services import (
    Registration,
    ServiceError,
    application_register,
    application_submit_online,
)

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


# ---------------------------------------------------------------- the 专栏's online application

# The form's key: URL-safe random text (secrets.token_urlsafe(24) gives 32 characters).
SUBMISSION_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,100}$")


def submission_hash(data: Registration, files: Sequence[tuple[str, bytes]]) -> str:
    """The content of an online submission in canonical form: what the applicant filled in and
    the attachments' names and SHA-256. The submission day is left out (a retry after midnight is
    the same submission)."""
    fields = dataclasses.asdict(data)
    fields.pop("received_on", None)
    fields["files"] = [[name, hashlib.sha256(content).hexdigest()] for name, content in files]
    return request_hash(json.loads(json.dumps(fields, default=str)))


def submit_online_once(
    *,
    organisation: Organisation,
    data: Registration,
    files: Sequence[tuple[str, bytes]],
    key: str,
    now: dt.datetime | None = None,
) -> tuple[Submitted, bool]:
    """Submit as `application_submit_online` does, once per submission key: the new submission
    and False, or the first one's receipt (same number, same 查询码) and True."""
    key_digest = hashlib.sha256(key.encode("ascii")).hexdigest()
    digest = submission_hash(data, files)
    found = _submitted_under(key_digest)
    if found is not None:
        return _replayed_online(found, key, digest, organisation), True
    try:
        submitted = application_submit_online(
            organisation=organisation,
            data=data,
            files=files,
            now=now,
            code=lookup_code_for_key(key),
            key_digest=key_digest,
            request_hash=digest,
        )
    except IntegrityError:
        # A simultaneous retry committed first (its row held the unique key): answer with it.
        found = _submitted_under(key_digest)
        if found is None:
            raise
        return _replayed_online(found, key, digest, organisation), True
    return submitted, False


def _submitted_under(key_digest: str) -> OnlineSubmission | None:
    return (
        OnlineSubmission.objects.select_related("application__organisation")
        .filter(key_digest=key_digest)
        .first()
    )


def _replayed_online(
    found: OnlineSubmission, key: str, digest: str, organisation: Organisation
) -> Submitted:
    application = found.application
    if found.request_hash != digest or application.organisation_id != organisation.pk:
        raise ServiceError(
            f"此页面的申请已经提交（申请编号 {application.tracking_no}）。"
            "如需提出另一项申请，请重新打开申请页面填写"
        )
    code = lookup_code_for_key(key)
    if not hmac.compare_digest(code_digest(found.code_salt, code), found.code_hash):
        # The SECRET_KEY changed since: the code cannot be shown again, only the number.
        raise ServiceError(
            f"此申请已经提交（申请编号 {application.tracking_no}），查询码以首次提交的回执为准"
        )
    return Submitted(application, code)
