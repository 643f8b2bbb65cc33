"""An applicant's earlier requests to the same organisation: the registration screen's warning of
a repeat and the application page's 申请人历史 (issue 14 part 4; gongkai.domain.duplicates).

The applicant is known by his normalised ID number (the services store it normalised); a ledger
import without a number (ID_NOT_RECORDED) matches nobody. Only the organisation's own records are
compared: another agency's requests are not the clerk's to read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.accounts.models import Organisation
from gongkai.cases.models import Application
from gongkai.domain.duplicates import LOOKBACK_DAYS, SIMILAR, request_similarity
from gongkai.domain.identity import normalize_id
from gongkai.domain.ledger import ID_NOT_RECORDED
from gongkai.domain.lifecycle import UNRECEIVED_STATUSES, Status

HISTORY_LIMIT = 20


@dataclass(frozen=True)
class EarlierRequest:
    application: Application
    similarity: float

    @property
    def similar(self) -> bool:
        return self.similarity >= SIMILAR


def _same_applicant(organisation: Organisation, id_number: str) -> list[Application]:
    number = normalize_id(id_number)
    if not number or number == ID_NOT_RECORDED:
        return []
    return list(
        Application.objects.filter(organisation=organisation, id_number=number)
        .exclude(status__in=[Status.VOIDED, *UNRECEIVED_STATUSES])
        .order_by("-received_on", "-id")[: HISTORY_LIMIT + 1]
    )


def applicant_history(application: Application) -> list[EarlierRequest]:
    """The same applicant's other requests to this organisation, newest first, each with the
    similarity of its text to this one's."""
    others = [
        app
        for app in _same_applicant(application.organisation, application.id_number)
        if app.pk != application.pk
    ][:HISTORY_LIMIT]
    return [
        EarlierRequest(app, request_similarity(app.content, application.content)) for app in others
    ]


def repeat_candidates(
    organisation: Organisation, id_number: str, content: str, received_on: dt.date
) -> list[EarlierRequest]:
    """Requests of the same applicant within LOOKBACK_DAYS before `received_on` (or after it:
    the same letter entered twice) whose text reads as the same request."""
    # An implausible date (year 1) is the service's to refuse; here it only must not overflow.
    low = max(received_on, dt.date.min + dt.timedelta(days=LOOKBACK_DAYS)) - dt.timedelta(
        days=LOOKBACK_DAYS
    )
    found = []
    for app in _same_applicant(organisation, id_number):
        if app.received_on < low:
            continue
        earlier = EarlierRequest(app, request_similarity(app.content, content))
        if earlier.similar:
            found.append(earlier)
    return found
