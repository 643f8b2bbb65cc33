"""The OpenAPI document and the docs page: every route documented, every schema honest.

The route list comes from the URL resolver, so a new route in api_urls without documentation
fails here; real responses are checked against the documented schemas with a small validator
(no dependency), and the documented examples are sent to the API.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from gongkai.api.schema import openapi_document
from gongkai.cases import api_io
from gongkai.cases.api import RECORD_CHANGE_SERVICES
from gongkai.cases.services import (
    ACTION_SERVICES,
    CORRECTABLE_FIELDS,
    Applicant,
    Registration,
)
from gongkai.domain.lifecycle import Action, RecordChange
from tests.api.base import SCENARIOS, ApiTestCase, registration

DOC = openapi_document()
SCHEMAS = DOC["components"]["schemas"]
METHODS = ("get", "post", "put", "patch", "delete")
CJK = re.compile(r"[\u4e00-\u9fff]")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
API_MD = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def api_routes() -> set[str]:
    """Every route under the `api` namespace, in OpenAPI spelling (`{id}` for `<int:id>`)."""
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api":
            return set(_routes(pattern, "/" + str(pattern.pattern)))
    raise AssertionError("api_urls is not included under the api namespace")


def _routes(resolver: URLResolver, prefix: str) -> list[str]:
    routes: list[str] = []
    for pattern in resolver.url_patterns:
        route = prefix + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern, route)
        else:
            assert isinstance(pattern, URLPattern)
            routes.append(route)
    return routes


# ---------------------------------------------------------------- a small JSON Schema validator


def problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """What is wrong with `value` under `schema` (the subset of JSON Schema the document uses)."""
    if "$ref" in schema:
        return problems(value, SCHEMAS[schema["$ref"].removeprefix("#/components/schemas/")], where)
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not problems(value, s, where)]
        return [] if len(matches) == 1 else [f"{where}: matches {len(matches)} of oneOf"]
    found: list[str] = []
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in enum")
    if "type" in schema and not _type_ok(value, schema["type"]):
        return [*found, f"{where}: {value!r} is not {schema['type']}"]
    if isinstance(value, str):
        if schema.get("format") == "date" and not DATE.match(value):
            found.append(f"{where}: {value!r} is not a date")
        if len(value) > schema.get("maxLength", len(value)):
            found.append(f"{where}: too long")
    if isinstance(value, int) and value < schema.get("minimum", value):
        found.append(f"{where}: below minimum")
    if isinstance(value, list):
        for i, item in enumerate(value):
            found += problems(item, schema.get("items", {}), f"{where}[{i}]")
    if isinstance(value, dict):
        found += _object_problems(value, schema, where)
    return found


def _object_problems(value: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    properties = schema.get("properties", {})
    found = [f"{where}: missing {name}" for name in schema.get("required", []) if name not in value]
    if schema.get("additionalProperties") is False or properties:
        # Responses are documented completely: an undocumented member is a documentation bug.
        found += [f"{where}: undocumented {name}" for name in value if name not in properties]
    for name, member in properties.items():
        if name in value:
            found += problems(value[name], member, f"{where}.{name}")
    return found


def _type_ok(value: Any, kind: str | list[str]) -> bool:
    kinds = kind if isinstance(kind, list) else [kind]
    checks = {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }
    return any(checks[k] for k in kinds)


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in DOC["paths"].items()
            for method, op in item.items()]  # fmt: skip


# ---------------------------------------------------------------- tests


class DocumentTests(ApiTestCase):
    def test_it_is_served_without_a_token(self) -> None:
        response = self.client.get(reverse("api:openapi"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["openapi"], "3.1.0")
        self.assertEqual(response.json(), DOC)

    def test_every_route_is_documented_and_every_documented_path_is_a_route(self) -> None:
        self.assertEqual(set(DOC["paths"]), api_routes())

    def test_documented_methods_are_served_and_others_refused(self) -> None:
        pk = self.register().pk
        values = {"id": pk, "code": "WCBGS", "year": 2024, "number": 1, "format": "pdf"}
        for path, item in DOC["paths"].items():
            url = path.format(**values)
            for method in METHODS:
                with self.subTest(path, method=method):
                    response = getattr(self.client, method)(
                        url, content_type="application/json", **self.auth("clerk")
                    )
                    if method in item:
                        resolve(url)  # a route; nothing is published, so the file is a JSON 404
                        missing = (405,) if "{number}" in path else (404, 405)
                        self.assertNotIn(response.status_code, missing)
                    else:
                        self.assertEqual(response.status_code, 405)

    def test_every_reference_resolves(self) -> None:
        for ref in refs(DOC):
            self.assertIn(ref.removeprefix("#/components/schemas/"), SCHEMAS, ref)

    def test_every_operation_is_described_in_chinese(self) -> None:
        for path, method, op in operations():
            with self.subTest(path, method=method):
                self.assertRegex(op["summary"], CJK)
                self.assertRegex(op["description"], CJK)
                self.assertTrue(op["operationId"])
                for status, response in op["responses"].items():
                    self.assertRegex(response["description"], CJK, status)
                for parameter in op.get("parameters", []):
                    self.assertRegex(parameter["description"], CJK, parameter["name"])

    def test_the_list_parameters_are_the_ones_the_api_accepts(self) -> None:
        documented = [p["name"] for p in DOC["paths"]["/api/applications"]["get"]["parameters"]]
        self.assertEqual(documented, list(api_io.LIST_PARAMS))

    def test_every_action_has_a_request_schema(self) -> None:
        mapping = SCHEMAS["ActionInput"]["discriminator"]["mapping"]
        self.assertEqual(set(mapping), {a.value for a in Action} | {c.value for c in RecordChange})
        self.assertEqual(set(api_io.ACTION_FIELDS), set(Action))


class FieldTableTests(ApiTestCase):
    """The API's field tables against the services' signatures, so neither can drift."""

    def test_every_action_field_is_a_keyword_of_its_service_and_back(self) -> None:
        fixed = {"actor", "application", "on", "today"}
        for action, fields in api_io.ACTION_FIELDS.items():
            with self.subTest(action.value):
                service: Callable[..., Any] = ACTION_SERVICES[action]  # type: ignore[assignment]
                parameters = inspect.signature(service).parameters
                self.assertEqual({f.keyword for f in fields}, set(parameters) - fixed)
                for f in fields:
                    default = parameters[f.keyword].default
                    if f.required:
                        continue
                    self.assertIsNot(default, inspect.Parameter.empty, f.name)

    def test_record_change_fields_are_keywords_of_their_services(self) -> None:
        fixed = {"actor", "application", "today", "request"}
        for change, fields in api_io.RECORD_CHANGE_FIELDS.items():
            with self.subTest(change.value):
                service = RECORD_CHANGE_SERVICES[change]
                parameters = set(inspect.signature(service).parameters) - fixed
                self.assertEqual({f.keyword for f in fields}, parameters)

    def test_correction_members_are_the_correctable_fields(self) -> None:
        changes = next(f for f in api_io.RECORD_CHANGE_FIELDS[RecordChange.CORRECT])
        applicant = next(f for f in changes.fields if f.name == "applicant")
        names = {api_io._APPLICANT_KEYS.get(f.name, f.name) for f in applicant.fields}
        names |= {f.name for f in changes.fields if f.name != "applicant"}
        self.assertEqual(names, set(CORRECTABLE_FIELDS))

    def test_registration_fields_are_the_registrations(self) -> None:
        applicant = next(f for f in api_io.REGISTRATION_FIELDS if f.name == "applicant")
        self.assertEqual(
            {f.name for f in applicant.fields}, set(inspect.signature(Applicant).parameters)
        )
        self.assertEqual(
            {f.name for f in api_io.REGISTRATION_FIELDS} - {"org"},
            set(inspect.signature(Registration).parameters) - {"extra"},
        )


class ResponsesMatchTheSchemaTests(ApiTestCase):
    def assertMatches(self, value: Any, name: str) -> None:
        self.assertEqual(problems(value, SCHEMAS[name]), [])

    def test_registration_detail_and_list(self) -> None:
        created = self.post_json(reverse("api:applications"), registration())
        self.assertMatches(created.json(), "ApplicationDetail")
        detail = self.get_json(reverse("api:application", args=[created.json()["id"]]))
        self.assertMatches(detail.json(), "ApplicationDetail")
        self.assertMatches(self.get_json(reverse("api:applications")).json(), "ApplicationList")

    def test_every_state_the_scenarios_reach(self) -> None:
        for steps in SCENARIOS.values():
            application = self.register()
            for persona, body in steps:
                self.assertMatches(
                    self.act(application, persona, **body).json(), "ApplicationDetail"
                )
        rows = self.get_json(reverse("api:applications"), limit=200).json()
        self.assertMatches(rows, "ApplicationList")

    def test_errors(self) -> None:
        url = reverse("api:applications")
        for response in (
            self.client.get(url),
            self.post_json(url, registration(content="")),
            self.post_json(url, "not json"),
            self.get_json(reverse("api:application", args=[999])),
        ):
            self.assertMatches(response.json(), "Error")


class ExamplesTests(ApiTestCase):
    def test_the_documented_examples_match_their_schemas(self) -> None:
        for path, method, op in operations():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            examples = [body["example"]] if "example" in body else []
            examples += [e["value"] for e in body.get("examples", {}).values()]
            for example in examples:
                with self.subTest(path, method=method, example=example):
                    self.assertEqual(problems(example, body["schema"]), [])
            for status, response in op["responses"].items():
                content = response.get("content", {}).get("application/json", {})
                if "example" in content:
                    with self.subTest(path, method=method, status=status):
                        self.assertEqual(problems(content["example"], content["schema"]), [])

    def test_the_registration_example_is_accepted(self) -> None:
        body = DOC["paths"]["/api/applications"]["post"]["requestBody"]["content"]
        response = self.post_json(reverse("api:applications"), body["application/json"]["example"])
        self.assertEqual(response.status_code, 201, response.content.decode())

    def test_every_action_example_has_an_accepted_shape(self) -> None:
        content = DOC["paths"]["/api/applications/{id}/actions"]["post"]["requestBody"]["content"]
        for name, example in content["application/json"]["examples"].items():
            with self.subTest(name):
                response = self.act(self.register(), "reviewer", **example["value"])
                # Shape accepted: either taken, or refused for the state it found (409).
                self.assertIn(response.status_code, (200, 409), response.content.decode())


class DocsPageTests(ApiTestCase):
    def test_it_lists_every_route_action_and_parameter_without_a_token(self) -> None:
        response = self.client.get(reverse("api:docs"))
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        for path in api_routes():
            self.assertIn(f"<code>{path}</code>", page)
        for action in Action:
            self.assertIn(action.value, page)
        for name in api_io.LIST_PARAMS:
            self.assertIn(f"<code>{name}</code>", page)
        self.assertIn("Authorization: Bearer", page)

    def test_it_loads_nothing_from_elsewhere(self) -> None:
        page = self.client.get(reverse("api:docs")).content.decode()
        self.assertNotRegex(page, r'(src|href)="(https?:)?//')


class MarkdownTests(ApiTestCase):
    def test_docs_api_md_covers_every_route_and_action(self) -> None:
        text = API_MD.read_text("utf-8")
        for path in api_routes():
            self.assertIn(path, text)
        for action in Action:
            self.assertIn(f"`{action.value}`", text)
        for status in ("400", "401", "403", "404", "405", "409", "422"):
            self.assertIn(status, text)
