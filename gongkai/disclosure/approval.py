"""呈批单: the internal sheet that carries a reply through the office's sign-off — the case, the
承办人's proposal (拟办意见) with the reasons for the outcome, and every 审核意见 in order (returned
with an opinion, approved), each with name and date — printable as .docx and PDF.

It is the paper trail of 条例第三十六条's reply: who proposed which outcome on which grounds, and
who approved it when. It is never sent to the applicant and carries no 文号.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from django.template import Context, Engine

from gongkai.cases.models import Application, Event
from gongkai.disclosure.context import cn_date, lines
from gongkai.disclosure.documents import (
    BlockKind,
    Letter,
    parse_letter,
    render_docx,
)
from gongkai.domain.lifecycle import Action, outcome

TEMPLATE = "disclosure/forms/approval_sheet.txt"
# Steps of the sign-off, with the heading each opinion goes under.
OPINION_STEPS = {
    Action.PROPOSE_REPLY.value: "拟办意见",
    Action.RETURN_REPLY.value: "审核意见（退回修改）",
    Action.REPLY.value: "审核意见（同意，签发）",
    Action.TRANSFER.value: "审核意见（同意转办，签发）",
    Action.APPROVE.value: "审核意见（同意，呈分管领导签批）",
}
# The same steps taken by the 分管领导 after an approval (RV-3).
LEADER_STEPS = {
    Action.RETURN_REPLY.value: "分管领导签批意见（退回修改）",
    Action.REPLY.value: "分管领导签批意见（同意，签发）",
    Action.TRANSFER.value: "分管领导签批意见（同意转办，签发）",
}


@dataclass(frozen=True)
class Opinion:
    heading: str
    text: str
    name: str
    date: str


def has_sign_off(application: Application) -> bool:
    """A sheet exists once a reply was proposed for review."""
    return application.events.filter(action=Action.PROPOSE_REPLY).exists()


def opinions_of(events: list[Event]) -> list[Opinion]:
    opinions: list[Opinion] = []
    with_leader = False  # after an approval, the next return or issue is the 分管领导's
    for event in events:
        if event.action not in OPINION_STEPS:
            continue
        heading = OPINION_STEPS[event.action]
        if with_leader and event.action in LEADER_STEPS:
            heading, with_leader = LEADER_STEPS[event.action], False
        elif event.action == Action.APPROVE:
            with_leader = True
        opinions.append(_opinion(event, heading))
    return opinions


def _opinion(event: Event, heading: str) -> Opinion:
    data = event.data or {}
    parts: list[str] = []
    if event.action == Action.PROPOSE_REPLY:
        key = str(data.get("outcome", ""))
        parts.append(f"拟答复：{outcome(key).label if key else ''}")
        if data.get("legal_basis"):
            parts.append(f"依据：{data['legal_basis']}")
        if data.get("reasons"):
            parts.append(f"理由：{data['reasons']}")
    elif event.action == Action.TRANSFER:
        parts.append(f"转办至：{data.get('to_name', '')}")
    if event.note:
        parts.append(event.note)
    text = lines("\n".join(parts))
    return Opinion(heading, text, event.actor_label, cn_date(event.date))


def approval_sheet(application: Application) -> Letter:
    events = list(application.events.order_by("date", "id"))
    facts = {
        "application": application,
        "agency": application.organisation.name,
        "received_on": cn_date(application.received_on),
        "due_on": cn_date(application.due_on),
        "request": " ".join(application.content.split()),
        "opinions": opinions_of(events),
    }
    text = Engine.get_default().get_template(TEMPLATE).render(Context(facts, autoescape=False))
    return parse_letter(text)


def approval_sheet_docx(application: Application) -> bytes:
    return render_docx(approval_sheet(application), author=application.organisation.name)


def approval_sheet_pdf(application: Application) -> bytes:
    from gongkai.pdf import html_to_pdf

    return html_to_pdf(letter_html(approval_sheet(application)))


_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "FangSong", "AR PL UMing CN", "Noto Serif CJK SC", serif; font-size: 16pt;
       line-height: 28.95pt; }
h1 { font-family: "Noto Serif CJK SC", "AR PL UMing CN", serif; font-size: 22pt; text-align: center;
     font-weight: normal; margin: 0 0 28.95pt; word-break: keep-all; }
p { margin: 0; text-indent: 2em; }
p.heading { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; text-indent: 0; }
p.left { text-indent: 0; }
p.centre { text-align: center; text-indent: 0; }
p.right { text-align: right; text-indent: 0; margin-right: 4em; }
"""
_CLASS = {
    BlockKind.BODY: "",
    BlockKind.HEADING: "heading",
    BlockKind.CENTRE: "centre",
    BlockKind.LEFT: "left",
    BlockKind.RIGHT: "right",
}


def letter_html(letter: Letter) -> str:
    """A letter's blocks as one printable HTML page in the GB/T 9704 layout of the .docx."""
    body = "\n".join(
        f'<p class="{_CLASS[block.kind]}">{html.escape(block.text)}</p>' for block in letter.blocks
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(letter.title)}</title><style>{_CSS}</style></head>"
        f"<body><h1>{html.escape(letter.title)}</h1>\n{body}</body></html>"
    )
