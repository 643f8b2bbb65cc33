"""The kinds of letter (告知书) the platform writes, and the variables their templates can use.

One kind per reply outcome (the 21 rows of table 三, closures included, keyed as in
`gongkai.domain.lifecycle.outcomes()`), two forms (登记回执, 送达回证), plus four procedural letters: 补正 (条例第三十条),
延期 (第三十三条第二款), 征求第三方意见 (第三十二条) and 收费 (国办函〔2020〕109号).

The labels here name a letter on screens and in the admin; the letter's own title and wording
live in its template, `disclosure/letters/<kind>.txt`.
"""

from __future__ import annotations

from gongkai.domain.lifecycle import outcomes

RECEIPT = "receipt"
SERVICE_PROOF = "service_proof"
CORRECTION = "correction"
EXTENSION = "extension"
CONSULTATION = "consultation"
FEE = "fee"

# Forms that go with a case and carry no 文号 of their own: the 登记回执 handed to the applicant
# (条例第二十九条: the office registers the application) and the 送达回证 that proves delivery of
# the reply (《民事诉讼法》第八十七条 style, used by offices for 直接送达/邮寄送达).
FORM_KINDS: dict[str, str] = {
    RECEIPT: "登记回执",
    SERVICE_PROOF: "送达回证",
}
PROCEDURAL_KINDS: dict[str, str] = {
    CORRECTION: "补正告知书",
    EXTENSION: "延期答复告知书",
    CONSULTATION: "征求第三方意见书",
    FEE: "收费通知书",
}
OUTCOME_KINDS: dict[str, str] = {
    item.key: f"{'答复' if item.by_reply else '终止办理'}告知书（{item.label}）"
    for item in outcomes()
}
LETTER_KINDS: dict[str, str] = {**FORM_KINDS, **PROCEDURAL_KINDS, **OUTCOME_KINDS}


def template_name(kind: str) -> str:
    return f"disclosure/letters/{kind}.txt"


# Shown in the admin next to the template body; tests check that every name exists.
CONTEXT_VARIABLES: tuple[tuple[str, str], ...] = (
    ("agency.name / .address / .postcode / .phone / .email", "本机关名称及联系方式"),
    ("review_body", "行政复议机关（上一级机关名称；未设置上级机关时为空）"),
    ("tracking_no", "申请编号，如 WCBGS-2025-0007"),
    (
        "doc_no",
        "本告知书的文号：机关代字〔年份〕序号号，如 宛政办公开〔2025〕12号，每份告知书各自编号；尚未签发的草稿为“（草稿，签发后编号）”",
    ),
    ("draft", "是否为尚未签发的草稿（答复尚待审核时）"),
    ("applicant.name / .is_person / .address / .postcode", "申请人姓名或名称；是否为自然人"),
    ("you", "对申请人的称呼：自然人为“您”，组织为“你单位”（见 _you.txt）"),
    ("request", "申请公开的内容"),
    ("received_on", "收到申请日期，如 2025年3月3日"),
    ("letter_date", "告知书日期（成文日期），如 2025年3月3日"),
    ("due_on", "当前答复期限"),
    ("outcome.key / .label / .basis", "答复类型（年报表三的行）及其默认法律依据"),
    ("legal_basis", "本件采用的法律依据（条款）"),
    ("note", "办理说明：答复或终止时经办人填写的说明，可为多行"),
    ("withdrawn", "是否因申请人撤回而终止"),
    ("concluded_on", "办结日期"),
    (
        "correction.items / .period / .notice_date / .due_on / .workdays",
        "补正事项（可为多行）、补正期限说明、补正通知日期、补正截止日期、补正期限（工作日数）",
    ),
    ("extension.reason / .due_on / .date", "延期理由、延长后的答复期限、批准延期日期"),
    ("consultation.party_name / .party / .date", "被征求意见的第三方、类型、发出日期"),
    (
        "fee.amount / .amount_upper / .method / .basis / .notice_date / .due_on",
        "收费金额（元）及大写、计费方式（by_count 按件 / by_pages 按量）、计费说明、通知日期、缴费期限",
    ),
    ("remedy", "救济途径（行政复议、行政诉讼）一段，见 _remedy.txt"),
    (
        "delivery.title / .doc_no / .method / .address / .date",
        "送达回证：送达的告知书名称、文号，送达方式、送达地址、送达日期（尚未送达时为空）",
    ),
)
