"""The state changes of the 考核 settings: a government's indicator points, its own indicators, and
the deductions its supervisors record by hand. Only a supervisor of the government itself; each
change audited; bad input refused with a Chinese message and nothing changed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.models import user_display_name
from gongkai.supervision.models import CustomIndicator, IndicatorOverride, ManualDeduction
from gongkai.supervision.rectification import internal_url
from gongkai.supervision.roles import is_within, supervises
from gongkai.supervision.scorecard import indicator_set

MAX_POINTS = 100


def _require_supervisor(by: Any, government: Organisation) -> None:
    if not supervises(by, government):
        raise ServiceError("只有本级政府的监督人员可以调整考核", kind="forbidden")


def _check_points(points: int, cap: int) -> None:
    if not 0 <= points <= MAX_POINTS or not 0 <= cap <= MAX_POINTS:
        raise ServiceError(f"扣分和上限须在0至{MAX_POINTS}之间", field="points")


@transaction.atomic
def indicator_override_save(
    *, by: Any, government: Organisation, key: str, points: int, cap: int, enabled: bool
) -> IndicatorOverride:
    _require_supervisor(by, government)
    indicator = indicator_set(government).get(key)
    if indicator is None or not indicator.computed:
        raise ServiceError(f"没有这项考核指标：{key}", field="key")
    _check_points(points, cap)
    override, _ = IndicatorOverride.objects.update_or_create(
        government=government,
        key=key,
        defaults={"points": points, "cap": cap, "enabled": enabled},
    )
    audit_record(
        AuditAction.CHANGE, user=by, obj=override,
        detail={"key": key, "points": points, "cap": cap, "enabled": enabled},
    )  # fmt: skip
    return override


@transaction.atomic
def custom_indicator_add(
    *, by: Any, government: Organisation, key: str, label: str, points: int, cap: int, source: str
) -> CustomIndicator:
    _require_supervisor(by, government)
    key, label, source = key.strip(), label.strip(), source.strip()
    if not key.isidentifier() or not key.isascii():
        raise ServiceError("指标代码只能由英文字母、数字和下划线组成", field="key")
    if not label or not source:
        raise ServiceError("请填写指标名称和依据", field="label")
    if indicator_set(government).get(key) is not None:
        raise ServiceError(f"指标代码“{key}”已存在", field="key")
    _check_points(points, cap)
    custom = CustomIndicator.objects.create(
        government=government, key=key, label=label, points=points, cap=cap, source=source
    )
    audit_record(AuditAction.CREATE, user=by, obj=custom, detail={"key": key, "points": points})
    return custom


@transaction.atomic
def manual_deduction_record(
    *,
    by: Any,
    government: Organisation,
    organisation: Organisation,
    year: int,
    key: str,
    note: str,
    evidence_url: str = "",
) -> ManualDeduction:
    _require_supervisor(by, government)
    if not is_within(organisation, government):
        raise ServiceError("该机构不在本级政府的考核范围内", field="organisation")
    if indicator_set(government).get(key) is None:
        raise ServiceError(f"没有这项考核指标：{key}", field="key")
    if not note.strip():
        raise ServiceError("请写明扣分的事实", field="note")
    if not 2000 <= year <= 2100:
        raise ServiceError("考核年度无效", field="year")
    url = evidence_url.strip()
    if url and not (url.startswith(("http://", "https://")) or internal_url(url)):
        raise ServiceError(
            "证据链接须为本系统内的地址或以 http(s):// 开头的网址", field="evidence_url"
        )
    row = ManualDeduction.objects.create(
        government=government,
        organisation=organisation,
        year=year,
        key=key,
        note=note.strip(),
        evidence_url=url,
        recorded_by=by,
        recorded_by_name=user_display_name(by),
    )
    audit_record(AuditAction.CREATE, user=by, obj=row, detail={"key": key, "year": year})
    return row


@transaction.atomic
def manual_deduction_remove(*, by: Any, deduction: ManualDeduction) -> None:
    _require_supervisor(by, deduction.government)
    audit_record(
        AuditAction.DELETE, user=by, obj=deduction,
        detail={"key": deduction.key, "year": deduction.year},
    )  # fmt: skip
    deduction.delete()
