"""Every row of every model in a form two databases can be compared by, and, run as
`python -m tests.backup.canonical`, what a restored installation holds and whether it works
(printed as one JSON object). The restore tests run it in the restored environment."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

# Rebuilt by `migrate` with its own ids (compared by natural key through the rows that use them:
# the groups are the three administrator roles, compared through the users who hold them) or not
# backed up.
LEFT_OUT = {"contenttypes.contenttype", "auth.permission", "auth.group", "sessions.session"}


def canonical_rows() -> dict[str, list[dict[str, Any]]]:
    from django.apps import apps
    from django.core import serializers

    rows: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in LEFT_OUT or model._meta.proxy or not model._meta.managed:
            continue
        objects = serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        rows[label] = [_plain(obj) for obj in objects]
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()  # microseconds included
    if isinstance(value, dt.date | dt.time | Decimal):
        return str(value)
    return value


def media_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def inspect() -> dict[str, Any]:
    """What the restored installation holds, then whether it works: pages open for a logged-in
    user and a new application can be registered (PostgreSQL sequences past the loaded ids)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from gongkai.accounts.models import Organisation
    from gongkai.cases.models import Application
    from gongkai.cases.services import Applicant, Registration, application_register
    from gongkai.reports.models import ReportVersionFile
    from gongkai.test import VALID_ID

    result: dict[str, Any] = {"rows": canonical_rows()}
    media = Path(settings.MEDIA_ROOT)
    result["media"] = media_hashes(media)
    result["modes"] = sorted(
        {f"{p.is_dir()}:{p.stat().st_mode & 0o777:o}" for p in media.rglob("*")}
    )
    result["version_files"] = dict(ReportVersionFile.objects.values_list("file", "sha256"))
    checked = io.StringIO()
    call_command("check", stdout=checked)
    result["check"] = checked.getvalue().strip()
    client = Client()
    client.force_login(User.objects.get(username="clerk"))
    today = timezone.localdate()
    first = Application.objects.order_by("pk").first()
    assert first is not None
    pages = [
        reverse("cases:dashboard"),
        reverse("cases:ledger"),
        reverse("cases:detail", args=[first.pk]),
        reverse("reports:report", args=["WCBGS", 2024]),
    ]
    result["pages"] = {url: client.get(url).status_code for url in pages}
    # A write through the service: on PostgreSQL it needs the sequences set past the loaded ids.
    clerk = User.objects.get(username="clerk")
    application_register(
        actor=clerk,
        organisation=Organisation.objects.get(code="WCBGS"),
        data=Registration(
            applicant=Applicant(
                "natural", "恢复演练", "resident_id", VALID_ID, phone="13800000000"
            ),
            channel="online",
            received_on=today,
            content="恢复后登记的第一件申请",
        ),
        today=today,
    )
    result["registered"] = Application.objects.filter(applicant_name="恢复演练").count()
    return result


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    json.dump(inspect(), sys.stdout, ensure_ascii=False)
