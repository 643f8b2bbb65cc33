"""POST /api/applications with an Idempotency-Key: a retry returns the first registration."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

from django.db import connection
from django.test import Client, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.tokens import api_token_create
from gongkai.cases.models import Application, IdempotencyKey
from gongkai.test import Personas
from tests.api.base import ApiTestCase, registration

URL = reverse("api:applications")


class IdempotencyTests(ApiTestCase):
    def post_keyed(self, body: Any, key: str, persona: str = "clerk") -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return self.client.post(
            URL,
            data=data,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
            **self.auth(persona),
        )

    def test_a_retry_with_the_same_key_returns_the_first_application(self) -> None:
        first = self.post_keyed(registration(), "order-1")
        again = self.post_keyed(registration(), "order-1")
        self.assertEqual(first.status_code, 201)
        self.assertEqual(again.status_code, 201)
        self.assertEqual(again.json(), first.json())
        self.assertEqual(again["Location"], first["Location"])
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertFalse(first.has_header("Idempotent-Replayed"))
        self.assertEqual(Application.objects.count(), 1)

    def test_the_same_json_laid_out_differently_is_the_same_request(self) -> None:
        body = registration()
        first = self.post_keyed(body, "k")
        reordered = json.dumps(dict(reversed(list(body.items()))), indent=2, ensure_ascii=False)
        again = self.post_keyed(reordered, "k")
        self.assertEqual(again.json()["id"], first.json()["id"])
        self.assertEqual(Application.objects.count(), 1)

    def test_the_same_key_with_another_body_is_422_and_registers_nothing(self) -> None:
        self.post_keyed(registration(), "k")
        response = self.post_keyed(registration(applicant__name="李四"), "k")
        data = self.assertError(response, 422, "Idempotency-Key")
        self.assertIn("另一项内容不同的登记请求", data["error"])
        self.assertEqual(
            list(Application.objects.values_list("applicant_name", flat=True)), ["张三"]
        )

    def test_keys_belong_to_their_user(self) -> None:
        mine = self.post_keyed(registration(), "k", "clerk")
        theirs = self.post_keyed(registration(), "k", "reviewer")
        self.assertEqual(theirs.status_code, 201)
        self.assertNotEqual(theirs.json()["id"], mine.json()["id"])
        self.assertEqual(Application.objects.count(), 2)

    def test_without_a_key_every_post_registers(self) -> None:
        self.post_json(URL, registration())
        self.post_json(URL, registration())
        self.assertEqual(Application.objects.count(), 2)
        self.assertFalse(IdempotencyKey.objects.exists())

    def test_a_refused_request_does_not_use_up_its_key(self) -> None:
        refused = self.post_keyed(registration(applicant__id_number="110105194912310021"), "k")
        self.assertEqual(refused.status_code, 422)
        self.assertFalse(IdempotencyKey.objects.exists())
        self.assertEqual(self.post_keyed(registration(), "k").status_code, 201)

    def test_a_supervisor_is_refused_with_a_key_too(self) -> None:
        self.assertError(self.post_keyed(registration(), "k", "supervisor"), 403, None)
        self.assertFalse(IdempotencyKey.objects.exists())

    def test_a_malformed_key_is_400(self) -> None:
        for key in ("", "x" * 201, "键", "a\tb"):
            with self.subTest(key=key):
                self.assertError(self.post_keyed(registration(), key), 400, "Idempotency-Key")
        self.assertEqual(self.post_keyed(registration(), "x" * 200).status_code, 201)
        self.assertEqual(Application.objects.count(), 1)

    @override_settings(IDEMPOTENCY_KEY_HOURS=24)
    def test_a_key_older_than_its_lifetime_registers_again(self) -> None:
        first = self.post_keyed(registration(), "k")
        IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
        again = self.post_keyed(registration(applicant__name="李四"), "k")
        self.assertEqual(again.status_code, 201)
        self.assertNotEqual(again.json()["id"], first.json()["id"])
        self.assertEqual(IdempotencyKey.objects.count(), 1)  # the expired row was replaced

    def test_a_replay_answers_with_the_application_as_it_is_now(self) -> None:
        first = self.post_keyed(registration(), "k").json()
        self.act(first["id"], action="withdraw", date="2025-03-05")
        again = self.post_keyed(registration(), "k").json()
        self.assertEqual(again["id"], first["id"])
        self.assertEqual((first["status"], again["status"]), ("registered", "closed"))


class ConcurrentIdempotencyTests(Personas, TransactionTestCase):
    """Run on PostgreSQL too (DATABASE_URL): the unique constraint, not luck, keeps one case."""

    def setUp(self) -> None:
        self.make_personas()
        self.token = api_token_create(user=self.clerk, name="tests")[1]

    def test_simultaneous_requests_with_one_key_create_one_application(self) -> None:
        count = 8
        start = threading.Barrier(count)
        results: list[tuple[int, Any]] = []
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                client = Client()
                start.wait()
                response = client.post(
                    URL,
                    data=json.dumps(registration()),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {self.token}",
                    HTTP_IDEMPOTENCY_KEY="same-key",
                )
                results.append((response.status_code, response.json()))
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        self.assertEqual([status for status, _ in results], [201] * count, results)
        self.assertEqual({body["id"] for _, body in results}, {Application.objects.get().pk})
