"""The building blocks of the OpenAPI document (gongkai.api.schema), shared with the
parts other apps contribute (gongkai.reports.api_schema)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Schema = dict[str, Any]

REF = "#/components/schemas/"


def ref(name: str) -> Schema:
    return {"$ref": REF + name}


def nullable(schema: Schema) -> Schema:
    return {**schema, "type": [schema["type"], "null"]}


def string(description: str, **extra: Any) -> Schema:
    return {"type": "string", "description": description, **extra}


def date(description: str) -> Schema:
    return {"type": "string", "format": "date", "description": description}


def enum_text(pairs: Sequence[tuple[str, str]]) -> str:
    return "；".join(f"{value} {label}" for value, label in pairs)


# ---------------------------------------------------------------- requests, from api_io


def error_example(message: str, field: str | None = None) -> Schema:
    return {"error": message, "field": field}


# ---------------------------------------------------------------- paths


def json_content(schema: Schema, example: Any = None, **more: Any) -> Schema:
    content: Schema = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"content": {"application/json": content}, **more}


def error(description: str, message: str, field: str | None = None) -> Schema:
    return {"description": description, **json_content(ref("Error"), error_example(message, field))}


def path_parameter(name: str, description: str, schema: Schema) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }
