"""Applications for disclosure (依申请公开), their timeline, attachments and tracking numbers.

Models hold fields, constraints and one-row properties only; every change goes through
`gongkai.cases.services`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from gongkai.accounts.models import Organisation
from gongkai.domain.deadline_model import Channel
from gongkai.domain.identity import IdType, mask_id, mask_phone
from gongkai.domain.ledger import ID_NOT_RECORDED
from gongkai.domain.lifecycle import (
    OPEN_STATUSES,
    Action,
    ApplicantType,
    RecordChange,
    Status,
    outcomes,
)


def user_display_name(user: Any) -> str:
    """How a user is named in a record: "王五（wangwu）" with a full name, else the username,
    which is unique (the same rule as the data migration that filled the older entries)."""
    username = user.get_username()
    full = (user.get_full_name() or "").strip()
    return (f"{full}（{username}）" if full else username)[:150]


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]  # type: ignore[attr-defined]


class Form(models.TextChoices):
    """载体形式 requested (条例第二十九条第二款（三）, 第四十条)."""

    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"


class Delivery(models.TextChoices):
    """获取方式 requested."""

    PICKUP = "pickup", "自行领取"
    MAIL = "mail", "邮寄"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上获取"


# Not concluded: the open statuses and the internet submissions awaiting 签收.
LIVE_STATUSES = frozenset({*OPEN_STATUSES, Status.SUBMITTED})


class Application(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="受理机关", on_delete=models.PROTECT, related_name="applications"
    )
    year = models.PositiveSmallIntegerField("登记年度")
    sequence = models.PositiveIntegerField("年度序号")
    tracking_no = models.CharField("申请编号", max_length=40, unique=True)
    status = models.CharField(
        "状态", max_length=20, choices=_choices(Status), default=Status.REGISTERED
    )

    applicant_type = models.CharField("申请人类型", max_length=20, choices=_choices(ApplicantType))
    applicant_name = models.CharField("申请人", max_length=200)
    id_type = models.CharField("证件类型", max_length=20, choices=_choices(IdType))
    id_number = models.CharField("证件号码", max_length=40)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    address = models.CharField("通讯地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    email = models.EmailField("电子邮箱", blank=True)

    channel = models.CharField("申请方式", max_length=20, choices=_choices(Channel))
    received_on = models.DateField("收到申请日期")
    content = models.TextField("申请内容")
    purpose = models.CharField("用途说明", max_length=500, blank=True)
    form = models.CharField(
        "载体形式", max_length=20, choices=Form.choices, default=Form.ELECTRONIC
    )
    delivery = models.CharField(
        "获取方式", max_length=20, choices=Delivery.choices, default=Delivery.EMAIL
    )

    # The conclusion: exactly one row of table 三 (spec.md §1.7) and its legal basis.
    outcome = models.CharField(
        "答复类型", max_length=30, blank=True, choices=[(o.key, o.label) for o in outcomes()]
    )
    legal_basis = models.CharField("法律依据", max_length=300, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)

    # Deadlines, recomputed by the services after every event (gongkai.domain.deadlines).
    extended = models.BooleanField("已延期", default=False)
    correction_notice_due = models.DateField("补正告知期限", null=True, blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True)
    fee_due = models.DateField("缴费期限", null=True, blank=True)
    deadline_provisional = models.BooleanField("期限为暂定", default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sequence"], name="application_unique_sequence"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"], name="app_org_status_due"),
            models.Index(fields=["organisation", "received_on"], name="app_org_received"),
            models.Index(fields=["organisation", "concluded_on"], name="app_org_concluded"),
            models.Index(fields=["organisation", "-received_on", "-id"], name="app_org_ledger"),
            # The 台账 sorted by reply deadline (keyset pagination on due_on, id).
            models.Index(fields=["organisation", "due_on", "id"], name="app_org_due"),
            # Tables 三 by GROUP BY and their drill-down from the index alone (index-only scans:
            # every column the aggregation reads; docs/decisions.md SQL-1).
            models.Index(
                fields=[
                    "organisation",
                    "received_on",
                    "concluded_on",
                    "applicant_type",
                    "outcome",
                    "status",
                ],
                name="app_org_report",
            ),
            # The newest change of an organisation's applications: the report cache's stamp.
            models.Index(fields=["organisation", "updated_at"], name="app_org_updated"),
            # The 台账 sorted by tracking number, one organisation at a time (gongkai.cases.keyset).
            models.Index(fields=["organisation", "tracking_no", "id"], name="app_org_tracking"),
            # The 工作台's lists are of the cases still to be done, a few hundred an office however
            # long its history: this index holds only those, in deadline order, so that a list
            # never walks the concluded ones (docs/decisions.md LS-3).
            models.Index(
                fields=["organisation", "due_on", "id"],
                name="app_live_due",
                condition=models.Q(status__in=sorted(status.value for status in LIVE_STATUSES)),
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_no

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def masked_id(self) -> str:
        if self.id_number == ID_NOT_RECORDED:  # a ledger import's placeholder, not a number
            return self.id_number
        return mask_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Event(models.Model):
    """One step of the timeline: who did what, when, with which documents."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=30)
    date = models.DateField("日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Kept with the entry so that deleting the user does not blank who did it (GB/T 22239-2019
    # 8.1.4.3: audit records keep the user); filled from `actor` when the entry is saved.
    actor_name = models.CharField("办理人", max_length=150, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["date", "id"]
        indexes = [
            # The steps of a kind in a period (the report's fees, the periodic statistics' 补正 /
            # 延期 / 征求意见), and one application's steps of a kind: without them every report
            # build scanned the whole events table (issue 15).
            models.Index(fields=["action", "date"], name="event_action_date"),
            models.Index(fields=["application", "action"], name="event_application_action"),
            # 已办: the steps a user took in the last 30 days, without their older ones.
            models.Index(
                fields=["actor", "date"],
                name="event_actor_date",
                condition=models.Q(actor__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.action} {self.date}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.actor is not None and not self.actor_name:
            self.actor_name = user_display_name(self.actor)
        super().save(*args, **kwargs)

    @property
    def actor_label(self) -> str:
        """Who took the step, also after the user was deleted."""
        if self.actor_name:
            return self.actor_name
        return user_display_name(self.actor) if self.actor is not None else ""

    @property
    def label(self) -> str:
        """The step in Chinese: the procedure's actions, plus the entries that are not steps."""
        try:
            return Action(self.action).label
        except ValueError:
            return EVENT_LABELS.get(self.action, self.action)


# Timeline entries that are not actions of the procedure (gongkai.domain.lifecycle.Action).
EVENT_LABELS = {
    "register": "登记",
    "submit": "网上提交申请",
    "import": "台账导入",
    "letter": "生成告知书",
    "notice": "通知申请人",
    **{change.value: change.label for change in RecordChange},
}


class Attachment(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", "申请书"
        IDENTITY = "identity", "身份证明"
        CORRECTION = "correction", "补正材料"
        REPLY = "reply", "答复材料"
        LETTER = "letter", "告知书"
        DELIVERY = "delivery", "送达回证"
        OTHER = "other", "其他"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_by_name = models.CharField("上传人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.uploaded_by is not None and not self.uploaded_by_name:
            self.uploaded_by_name = user_display_name(self.uploaded_by)
        super().save(*args, **kwargs)

    @property
    def uploader_label(self) -> str:
        if self.uploaded_by_name:
            return self.uploaded_by_name
        return user_display_name(self.uploaded_by) if self.uploaded_by is not None else ""


class TrackingCounter(models.Model):
    """The last sequence number given per organisation and year (row-locked when used)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="counter_unique_year")
        ]


class LetterCounter(models.Model):
    """The last 文号 sequence number given per organisation and year: every letter the office
    sends (补正, 延期, 征求意见, 收费, 答复, 终止) takes the next one when its step is recorded."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="letter_counter_unique_year"
            )
        ]


class WorkdayOverride(models.Model):
    """A day the national schedule does not know yet, or a local holiday (民族自治地方).

    Same meaning as the override files of gongkai/domain/calendar_data, kept by an administrator.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=50)
    source = models.CharField("依据（通知文号）", max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name="仅适用于", null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "organisation"], name="override_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` of a registration through the API: a retry with the same key by the
    same user gets the application the first request created, not a second one.

    Stored only with a registration that succeeded (in its transaction); kept
    `settings.IDEMPOTENCY_KEY_HOURS`, then forgotten. The unique constraint makes two requests
    with the same key at the same moment create one application: the second waits for the first
    to commit, then fails to insert and replays it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=200)
    request_hash = models.CharField("请求摘要（SHA-256）", max_length=64)
    application = models.ForeignKey(
        Application, null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "幂等键"
        verbose_name_plural = "幂等键"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class LedgerImport(models.Model):
    """One ledger file imported into an organisation, known by its SHA-256, so that the same
    file uploaded again is recognised before anything is imported twice."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="导入到", on_delete=models.CASCADE, related_name="+"
    )
    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64)
    name = models.CharField("文件名", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField("导入人", max_length=150)  # kept when the user is deleted
    rows = models.PositiveIntegerField("导入行数")
    skipped = models.PositiveIntegerField("未导入行数", default=0)
    repeated = models.BooleanField("确认再次导入", default=False)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "台账导入"
        verbose_name_plural = "台账导入"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "sha256"], name="ledger_import_file")]

    def __str__(self) -> str:
        return f"{self.name} → {self.organisation_id}"


class OnlineSubmission(models.Model):
    """An application made on the public 专栏 (条例第二十七条、第二十九条): when it was submitted,
    when it was signed for (签收), and its 查询码 — kept only as HMAC-SHA256 under a per-row salt,
    never in clear (the applicant saw it once, on the receipt)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="online_submission"
    )
    submitted_at = models.DateTimeField("提交时间")
    code_salt = models.CharField(max_length=32)
    code_hash = models.CharField("查询码摘要（HMAC-SHA256）", max_length=64)
    confirmed_on = models.DateField("签收日期", null=True, blank=True)
    # The form's submission key (SHA-256 of it; the key itself stays in the applicant's page): a
    # retry of the same submission — a double click, a proxy's or a client's retry after a lost
    # answer — finds this row and gets its receipt again instead of a second application
    # (gongkai.cases.idempotency.submit_online_once, decision MS-5). Unique: of two simultaneous
    # retries only one commits. Empty for submissions made without a key.
    key_digest = models.CharField("提交键摘要（SHA-256）", max_length=64, null=True, unique=True)
    request_hash = models.CharField("提交内容摘要（SHA-256）", max_length=64, blank=True)

    class Meta:
        verbose_name = "网上申请"
        verbose_name_plural = "网上申请"

    def __str__(self) -> str:
        return f"{self.application} {self.submitted_at:%Y-%m-%d %H:%M}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "未完成"


class JobKind(models.TextChoices):
    IMPORT = "import", "台账导入"
    EXPORT = "export", "台账导出"


def _job_file(instance: LedgerJob, filename: str) -> str:
    # A folder of its own per job under a random name: never the uploaded name as a path.
    return f"ledger/jobs/{instance.folder}/{filename}"


class LedgerJob(models.Model):
    """A ledger import or export run in the background (django-tasks): its progress for the job
    page, the uploaded file or the file produced, both kept through the storage API so that any
    app server can read them (decision IM-2)."""

    kind = models.CharField("类型", max_length=10, choices=JobKind.choices)
    status = models.CharField(
        "状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField("发起人", max_length=150)
    # The organisation imported into; for an export, the one exported when there is only one.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Every organisation whose rows the job reads or writes: the job page and the download are
    # refused once the user no longer reads one of them.
    organisations = models.JSONField("涉及机关", default=list)
    name = models.CharField("文件名", max_length=200)
    params = models.JSONField("参数", default=dict)
    folder = models.CharField(max_length=32)
    source = models.FileField("上传文件", upload_to=_job_file, max_length=200, blank=True)
    result = models.FileField("生成文件", upload_to=_job_file, max_length=200, blank=True)
    phase = models.CharField("进度说明", max_length=40, blank=True)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已处理行数", default=0)
    outcome = models.JSONField("结果", default=dict, blank=True)
    message = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "台账任务"
        verbose_name_plural = "台账任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="ledger_job_user")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}：{self.name}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, round(100 * self.done / self.total)) if self.total else 0
