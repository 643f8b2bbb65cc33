"""The context of the API's HTML page (/api/docs): the generated OpenAPI document laid out as
tables of operations, parameters and fields, with the documented examples. Served from the app
itself (no script, no CDN): an office network may have no internet."""

from __future__ import annotations

import json
from typing import Any

from gongkai.api.core import openapi_document

Schema = dict[str, Any]
REF = "#/components/schemas/"


def resolve(document: Schema, schema: Schema) -> Schema:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].removeprefix(REF)]
    return schema


def type_text(schema: Schema) -> str:
    if "anyOf" in schema:
        return " | ".join(type_text(option) for option in schema["anyOf"])
    if "$ref" in schema:
        return str(schema["$ref"]).removeprefix(REF)
    kind = schema.get("type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    text = " | ".join(k for k in kinds if k)
    if schema.get("format"):
        text += f" ({schema['format']})"
    if "const" in schema:
        text = f"“{schema['const']}”"
    return text


def field_rows(document: Schema, schema: Schema, prefix: str = "") -> list[dict[str, Any]]:
    """The members of an object schema, nested objects flattened to dotted names."""
    schema = resolve(document, schema)
    required = set(schema.get("required", ()))
    rows: list[dict[str, Any]] = []
    for name, raw in schema.get("properties", {}).items():
        member = resolve(document, _non_null(raw))
        items = resolve(document, member.get("items", {}))
        enum = member.get("enum") or items.get("enum") or []
        rows.append(
            {
                "name": prefix + name,
                "type": type_text(member) + (f" 的数组（{type_text(items)}）" if items else ""),
                "required": name in required,
                "description": raw.get("description") or member.get("description", ""),
                "enum": "、".join(str(v) for v in enum if v is not None),
            }
        )
        if member.get("properties"):
            rows += field_rows(document, member, f"{prefix}{name}.")
    return rows


def _non_null(schema: Schema) -> Schema:
    """The one schema of `X | None` (pydantic writes it as anyOf), for nested objects."""
    options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
    if len(options) == 1 and "$ref" in options[0]:
        return {**options[0], "description": schema.get("description", "")}
    return schema


def _pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _parameter_row(parameter: Schema) -> dict[str, Any]:
    schema = parameter["schema"]
    items = schema.get("items", {})
    return {
        "name": parameter["name"],
        "in": {"query": "查询", "path": "路径", "header": "请求头"}[parameter["in"]],
        "required": parameter.get("required", False),
        "type": type_text(items) + "（可多个）" if items else type_text(schema),
        "description": parameter.get("description") or schema.get("description", ""),
        "enum": "、".join(items.get("enum", []) or schema.get("enum", [])),
    }


def _operation(document: Schema, path: str, method: str, op: Schema) -> dict[str, Any]:
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = resolve(document, body.get("schema", {}))
    variants = [resolve(document, v) for v in schema.get("oneOf", [])]
    return {
        "anchor": op["operationId"],
        "method": method.upper(),
        "path": path,
        "summary": op["summary"],
        "description": op["description"],
        "auth": bool(op.get("security")),
        "parameters": [_parameter_row(p) for p in op.get("parameters", [])],
        "body_rows": field_rows(document, schema) if body and not variants else [],
        "body_example": _pretty(schema["examples"][0]) if schema.get("examples") else "",
        "variants": [
            {
                "title": v["properties"]["action"]["const"],
                "description": v.get("description", ""),
                "rows": field_rows(document, v),
                "example": _pretty(v["examples"][0]) if v.get("examples") else "",
            }
            for v in variants
        ],
        "responses": [
            {
                "status": status,
                "description": response["description"],
                "example": _pretty(response["content"]["application/json"]["example"])
                if "example" in response.get("content", {}).get("application/json", {})
                else "",
            }
            for status, response in op["responses"].items()
        ],
    }


def docs_context() -> dict[str, Any]:
    document = openapi_document()
    operations = [
        _operation(document, path, method, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
    ]
    schemas = document["components"]["schemas"]
    models = [
        {
            "name": name,
            "description": schemas[name].get("description", ""),
            "rows": field_rows(document, schemas[name]),
        }
        for name in (
            "ApplicationRow",
            "ApplicationDetail",
            "Applicant",
            "DeadlinesDetail",
            "TimelineEntry",
            "ApplicationList",
            "AnnualReport",
            "ReportCheck",
            "Finding",
            "ReportVersion",
            "ReportFile",
            "Error",
        )
    ]
    return {"info": document["info"], "operations": operations, "models": models}
