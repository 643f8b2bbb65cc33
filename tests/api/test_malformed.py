"""Every malformed request to the JSON API gets a JSON 4xx in the {"error", "field"} shape, never
a server error or an HTML page: bodies that are not UTF-8, not JSON, not an object, too deep, too
large, with numbers no parser should build or strings no database can store; wrong types, nulls
and wrong content types; NUL in query parameters and paths."""

from __future__ import annotations

import json
from typing import Any

from django.test import override_settings
from django.urls import reverse

from gongkai.cases.models import Application
from tests.api.base import ApiTestCase, registration

FEE = b'{"action": "notify_fee", "date": "2025-03-05", "method": "by_count", "amount": '

# name → (body, expected status)
BODIES: dict[str, tuple[bytes, int]] = {
    "invalid UTF-8": (b'{"note": "\xc3\x28"}', 400),
    "Latin-1": ('{"note": "caf\xe9"}'.encode("latin-1"), 400),
    "UTF-16": ('{"action": "withdraw"}'.encode("utf-16"), 400),
    "empty": (b"", 400),
    "null": (b"null", 400),
    "array": (b"[]", 400),
    "array of objects": (b'[{"action": "withdraw", "date": "2025-03-05"}]', 400),
    "number": (b"1", 400),
    "string": (b'"withdraw"', 400),
    "truncated": (b'{"action": ', 400),
    "10,000-deep arrays": (b"[" * 10_000 + b"]" * 10_000, 400),
    "10,000-deep objects": (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, 400),
    "100-deep objects": (b'{"a":' * 100 + b"1" + b"}" * 100, 400),
    "5,000-digit number": (FEE + b"1" + b"0" * 5_000 + b"}", 400),
    "fee of 10^30": (FEE + b"1" + b"0" * 30 + b"}", 400),
    "1e400": (FEE + b"1e400}", 400),
    "NaN": (FEE + b"NaN}", 400),
    "-Infinity": (FEE + b"-Infinity}", 400),
    "lone surrogate in a value": (b'{"action": "withdraw", "date": "2025-03-05", "note": "\\ud800"}', 400),
    "lone surrogate in a key": (b'{"\\udfff": 1}', 400),
    "NUL in a value": (b'{"action": "withdraw", "date": "2025-03-05", "note": "a\\u0000b"}', 422),
    "action as a list": (b'{"action": ["withdraw"], "date": "2025-03-05"}', 422),
    "action as an object": (b'{"action": {"a": 1}, "date": "2025-03-05"}', 422),
    "action as a number": (b'{"action": 1, "date": "2025-03-05"}', 422),
    "action null": (b'{"action": null, "date": "2025-03-05"}', 422),
    "date as a number": (b'{"action": "withdraw", "date": 20250305}', 422),
    "date of year 99999": (b'{"action": "withdraw", "date": "99999-01-01"}', 422),
    "date 0001-01-01": (b'{"action": "withdraw", "date": "0001-01-01"}', 422),
    "date 9999-12-31": (b'{"action": "withdraw", "date": "9999-12-31"}', 422),
    "fee as a string": (FEE + b'"100"}', 422),
    "fee as true": (FEE + b"true}", 422),
    "fee as a float": (FEE + b"100.5}", 422),
    "fee over the bound": (FEE + b"1000001}", 422),
    "reason as a list": (b'{"action": "void", "reason": ["x"]}', 422),
    "changes as a string": (b'{"action": "correct", "changes": "x", "reason": "r"}', 422),
    "changes nested in a list": (b'{"action": "correct", "changes": [{}], "reason": "r"}', 422),
    "confirmation as a string": (
        b'{"action": "correct", "changes": {}, "reason": "r", "confirm_old_received_on": "yes"}',
        422,
    ),
}  # fmt: skip


def registration_with(**changes: Any) -> bytes:
    return json.dumps(registration(**changes), ensure_ascii=False).encode()


REGISTRATIONS: dict[str, tuple[bytes, int, str | None]] = {
    "applicant null": (registration_with(applicant=None), 422, "applicant"),
    "applicant a string": (registration_with(applicant="张三"), 422, "applicant"),
    "applicant a list": (registration_with(applicant=[]), 422, "applicant"),
    "org a number": (registration_with(org=1), 422, "org"),
    "org a list": (registration_with(org=["WCBGS"]), 422, "org"),
    "org of 100,000 characters": (registration_with(org="W" * 100_000), 422, "org"),
    "received 0001-01-01": (registration_with(received_on="0001-01-01"), 422, "received_on"),
    "received 1990-01-01": (registration_with(received_on="1990-01-01"), 422, "received_on"),
    "received 9999-12-31": (registration_with(received_on="9999-12-31"), 422, "received_on"),
    "received as a number": (registration_with(received_on=20250303), 422, "received_on"),
    "name of zero-width characters": (
        registration_with(applicant__name="\u200b\u200c\u2060"), 422, "applicant.name"
    ),
    "name of spaces and BOM": (
        registration_with(applicant__name="\u3000\ufeff "), 422, "applicant.name"
    ),
    "ID number a list": (registration_with(applicant__id_number=["1"]), 422, "applicant.id_number"),
    "confirmation a string": (
        registration_with(confirm_old_received_on="yes"), 422, "confirm_old_received_on"
    ),
    "bad e-mail": (registration_with(applicant__email="a@"), 422, "applicant.email"),
    "surrogate in the name": (
        registration_with().replace("张三".encode(), b"\\ud800"), 400, None
    ),
}  # fmt: skip


class MalformedBodyTests(ApiTestCase):
    def setUp(self) -> None:
        # A server error must fail here as a 500 response, not as an exception in the client.
        self.client.raise_request_exception = False
        self.app = self.register()
        self.urls = {
            "register": reverse("api:applications"),
            "act": reverse("api:application_actions", args=[self.app.pk]),
        }

    def send(self, url: str, body: bytes, content_type: str = "application/json") -> Any:
        return self.client.post(url, data=body, content_type=content_type, **self.auth("admin"))

    def assertJsonError(self, response: Any, status: int, field: str | None = None) -> None:
        self.assertEqual(response["Content-Type"], "application/json")
        data = self.assertError(response, status, field)
        self.assertRegex(data["error"], r"[\u4e00-\u9fff]")

    def test_malformed_bodies_are_json_errors_on_both_endpoints(self) -> None:
        for endpoint, url in self.urls.items():
            for name, (body, status) in BODIES.items():
                with self.subTest(endpoint=endpoint, body=name):
                    response = self.send(url, body)
                    # The registration endpoint refuses the actions' members as unknown (422).
                    expected = 422 if endpoint == "register" and status == 422 else status
                    self.assertEqual(response.status_code, expected, response.content[:200])
                    self.assertJsonError(response, expected, response.json()["field"])
        self.assertEqual(self.app.events.count(), 1)
        self.assertEqual(Application.objects.count(), 1)

    def test_malformed_registrations_name_the_field(self) -> None:
        for name, (body, status, field) in REGISTRATIONS.items():
            with self.subTest(name):
                self.assertJsonError(self.send(self.urls["register"], body), status, field)
        self.assertEqual(Application.objects.count(), 1)

    def test_deep_nesting_and_surrogates_are_named(self) -> None:
        response = self.send(self.urls["act"], b"[" * 10_000 + b"]" * 10_000)
        self.assertIn("嵌套过深", response.json()["error"])
        response = self.send(self.urls["act"], BODIES["lone surrogate in a value"][0])
        self.assertIn("代理项", response.json()["error"])

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
    def test_a_body_over_the_upload_limit_is_413(self) -> None:
        response = self.send(self.urls["register"], b'{"content": "' + b"x" * 2048 + b'"}')
        self.assertJsonError(response, 413)

    def test_other_content_types_are_json_errors_with_a_hint(self) -> None:
        for content_type in ("text/plain", "application/x-www-form-urlencoded",
                             "multipart/form-data; boundary=x", "application/xml"):  # fmt: skip
            with self.subTest(content_type):
                response = self.send(self.urls["register"], b"a=1&b=2", content_type)
                self.assertJsonError(response, 400)
                self.assertIn("Content-Type: application/json", response.json()["error"])

    def test_json_sent_as_text_is_still_read(self) -> None:
        body = b'{"action": "withdraw", "date": "2025-03-05"}'
        response = self.send(self.urls["act"], body, "text/plain")
        self.assertEqual(response.status_code, 200, response.content)

    def test_nul_in_query_parameters_and_paths_is_refused(self) -> None:
        for query in ("q=a%00b", "org=%00", "cursor=%00", "received_from=%00", "limit=%00"):
            with self.subTest(query):
                url = reverse("api:applications") + "?" + query
                response = self.client.get(url, **self.auth("clerk"))
                self.assertJsonError(response, 422, response.json()["field"])
        for path in ("/api/reports/%00/2024", "/api/reports/WCBGS/2024/versions/1.%00"):
            with self.subTest(path):
                self.assertJsonError(self.client.get(path, **self.auth("clerk")), 404)
        response = self.client.get("/api/reports/WCBGS/99999999999999999999", **self.auth("clerk"))
        self.assertJsonError(response, 404)
        response = self.send("/api/reports/WCBGS/2024", b"[")
        self.assertJsonError(response, 405)


class RegistrationPlausibilityTests(ApiTestCase):
    def test_an_old_receipt_needs_the_confirmation_member(self) -> None:
        body = registration(confirm_old_received_on=False)
        response = self.post_json(reverse("api:applications"), body)
        data = self.assertError(response, 422, "received_on")
        self.assertIn('"confirm_old_received_on": true', data["error"])
        body["confirm_old_received_on"] = True
        self.assertEqual(self.post_json(reverse("api:applications"), body).status_code, 201)

    def test_full_width_id_numbers_are_stored_normalised(self) -> None:
        body = registration(applicant__id_number="１１０１０５１９４９１２３１００２ｘ")
        response = self.post_json(reverse("api:applications"), body)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Application.objects.get().id_number, "11010519491231002X")


class CorrectAndVoidTests(ApiTestCase):
    def setUp(self) -> None:
        self.app = self.register()

    def test_a_reviewer_corrects_with_the_registration_s_members(self) -> None:
        response = self.act(
            self.app, "reviewer", action="correct", reason="据申请书原件更正",
            changes={"applicant": {"name": "张珊", "type": "biz", "id_number": "11010519491231002x"},
                     "received_on": "2025-03-04"},
            confirm_old_received_on=True,
        )  # fmt: skip
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertEqual(data["applicant"]["name"], "张珊")
        self.assertEqual((data["applicant"]["type"], data["received_on"]), ("biz", "2025-03-04"))
        entry = data["timeline"][-1]
        self.assertEqual((entry["action"], entry["action_label"]), ("correct", "更正登记信息"))
        self.assertEqual(entry["note"], "据申请书原件更正")
        self.assertEqual(
            entry["data"]["changes"],
            {"applicant_type": {"old": "natural", "new": "biz"},
             "applicant_name": {"old": "张三", "new": "张珊"},
             "received_on": {"old": "2025-03-03", "new": "2025-03-04"}},
        )  # fmt: skip

    def test_identity_numbers_in_the_timeline_are_masked(self) -> None:
        self.act(self.app, "clerk", action="correct", reason="号码有误",
                 changes={"applicant": {"id_number": "110105194912310038"}})  # fmt: skip
        detail = self.get_json(reverse("api:application", args=[self.app.pk])).json()
        change = detail["timeline"][-1]["data"]["changes"]["id_number"]
        self.assertEqual(change, {"old": "1101**********002X", "new": "1101**********0038"})
        self.assertNotIn("110105194912310038", json.dumps(detail))

    def test_refusals(self) -> None:
        self.assertError(self.act(self.app, "clerk", action="correct", reason="改日期",
                                  changes={"received_on": "2025-03-04"}), 403)  # fmt: skip
        self.assertError(self.act(self.app, "reviewer", action="correct", reason="无",
                                  changes={"applicant": {"name": "张三"}}), 422)  # fmt: skip
        self.assertError(self.act(self.app, "reviewer", action="correct",
                                  changes={"purpose": "x"}), 422, "reason")  # fmt: skip
        self.assertError(self.act(self.app, "reviewer", action="correct", reason="r",
                                  changes={"tracking_no": "X"}), 422, "changes.tracking_no")  # fmt: skip
        self.assertError(self.act(self.app, "reviewer", action="correct", reason="r",
                                  changes={"received_on": "2024-01-02"}), 422, "received_on")  # fmt: skip
        self.assertError(self.act(self.app, "reviewer", action="void", reason="r",
                                  date="2025-03-05"), 422, "date")  # fmt: skip
        self.assertError(self.act(self.app, "clerk", action="void", reason="重复"), 403)
        self.assertError(self.act(self.app, "supervisor", action="void", reason="重复"), 403)
        self.assertError(self.act(self.app, "outsider", action="void", reason="重复"), 404)

    def test_a_reviewer_voids_and_nothing_follows(self) -> None:
        response = self.act(self.app, "reviewer", action="void", reason="重复登记")
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertEqual((data["status"], data["status_label"]), ("voided", "已作废"))
        self.assertEqual(data["allowed_actions"], [])
        self.assertError(self.act(self.app, "reviewer", action="void", reason="再次"), 409)
        self.assertError(self.act(self.app, "reviewer", action="withdraw", date="2025-03-05"), 409)
