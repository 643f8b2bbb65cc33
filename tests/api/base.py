"""Shared set-up of the API tests: the personas of gongkai.test, each with an API token."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from gongkai.accounts.tokens import api_token_create
from gongkai.cases.models import Application
from gongkai.test import VALID_ID, BaseTestCase

PERSONAS = ("clerk", "reviewer", "admin", "supervisor", "outsider")


def registration(**changes: Any) -> dict[str, Any]:
    """A valid POST /api/applications body; `applicant__name=…` changes a nested field."""
    body: dict[str, Any] = {
        "org": "WCBGS",
        "applicant": {
            "type": "natural",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": VALID_ID,
            "phone": "13800000000",
        },
        "channel": "online",
        "received_on": "2025-03-03",
        "content": "请公开2024年某项目的批复文件",
        "form": "electronic",
        "delivery": "email",
        # 2025-03-03 is long past for a test run today: confirmed, as a client must (decision I-3).
        "confirm_old_received_on": True,
    }
    for key, value in changes.items():
        target, _, member = key.partition("__")
        if member:
            body[target][member] = value
        elif value is _DROP:
            body.pop(key)
        else:
            body[key] = value
    return body


# Each action, reached from a fresh application received on 2025-03-03 by the steps before it.
Step = tuple[str, dict[str, Any]]
SCENARIOS: dict[str, list[Step]] = {
    "correction": [
        ("clerk", {"action": "request_correction", "date": "2025-03-05", "items": "请写明文号"}),
        ("clerk", {"action": "receive_correction", "date": "2025-03-10", "note": "已补正"}),
    ],
    "no_correction": [
        ("clerk", {"action": "request_correction", "date": "2025-03-05", "items": "请写明文号",
                   "period": "15个工作日"}),
        ("clerk", {"action": "close_no_correction", "date": "2025-04-01"}),
        ("clerk", {"action": "deliver", "date": "2025-04-02", "method": "mail",
                   "tracking_number": "EMS123"}),
        ("admin", {"action": "archive", "date": "2025-04-03"}),
    ],
    "consultation": [
        ("clerk", {"action": "start_consultation", "date": "2025-03-05", "party": "agency",
                   "consulted": "宛城区财政局"}),
        ("clerk", {"action": "end_consultation", "date": "2025-03-10", "opinion": "同意公开"}),
    ],
    "fee": [
        ("clerk", {"action": "notify_fee", "date": "2025-03-05", "amount": 100,
                   "method": "by_count", "basis": "国办函〔2020〕109号"}),
        ("clerk", {"action": "receive_fee", "date": "2025-03-10"}),
    ],
    "no_fee": [
        ("clerk", {"action": "notify_fee", "date": "2025-03-05", "amount": 30,
                   "method": "by_pages"}),
        ("clerk", {"action": "close_no_fee", "date": "2025-04-10", "note": "逾期未缴费"}),
    ],
    "review": [
        ("clerk", {"action": "propose_reply", "date": "2025-03-05", "outcome": "r_partial",
                   "reasons": "涉及个人信息"}),
        ("reviewer", {"action": "return_reply", "date": "2025-03-06", "note": "请补充理由"}),
        ("clerk", {"action": "propose_reply", "date": "2025-03-07", "outcome": "r_open",
                   "legal_basis": "条例第三十六条第（二）项", "note": "已改"}),
        ("reviewer", {"action": "extend", "date": "2025-03-10", "reason": "需要核实"}),
        ("reviewer", {"action": "reply", "date": "2025-03-11"}),
        ("clerk", {"action": "deliver", "date": "2025-03-12", "method": "email"}),
    ],
    "withdrawal": [
        ("clerk", {"action": "withdraw", "date": "2025-03-05", "note": "申请人书面撤回"}),
    ],
    "transfer": [
        ("reviewer", {"action": "transfer", "date": "2025-03-05", "to_organisation": "WCCZJ"}),
    ],
    # In an office whose replies need the 分管领导's 签批 (SIGN_OFF_SCENARIOS); 管理员 may sign.
    "sign_off": [
        ("clerk", {"action": "propose_reply", "date": "2025-03-05", "outcome": "r_open"}),
        ("reviewer", {"action": "approve", "date": "2025-03-06", "note": "同意，呈领导签批"}),
        ("admin", {"action": "reply", "date": "2025-03-07"}),
    ],
}  # fmt: skip
SIGN_OFF_SCENARIOS = frozenset({"sign_off"})


_DROP = object()
DROP: Any = _DROP


class ApiTestCase(BaseTestCase):
    tokens: dict[str, str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tokens = {
            name: api_token_create(user=getattr(cls, name), name="tests")[1] for name in PERSONAS
        }

    def auth(self, persona: str) -> dict[str, Any]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[persona]}"}

    def get_json(self, url: str, persona: str = "clerk", **params: Any) -> Any:
        return self.client.get(url, params, **self.auth(persona))

    def post_json(self, url: str, body: Any, persona: str = "clerk") -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(
            url, data=data, content_type="application/json", **self.auth(persona)
        )

    def act(self, application: Application | int, persona: str = "clerk", **body: Any) -> Any:
        pk = application if isinstance(application, int) else application.pk
        return self.post_json(reverse("api:application_actions", args=[pk]), body, persona)

    def assertError(self, response: Any, status: int, field: str | None = None) -> dict[str, Any]:
        self.assertEqual(response.status_code, status, response.content.decode())
        data: dict[str, Any] = response.json()
        self.assertEqual(set(data), {"error", "field"})
        self.assertTrue(data["error"])
        self.assertEqual(data["field"], field)
        return data
