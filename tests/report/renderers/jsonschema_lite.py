"""A validator for the subset of JSON Schema 2020-12 that docs/report.schema.json uses.

jsonschema is not a dependency; this covers exactly the keywords the schema needs and refuses
any other keyword, so the schema cannot quietly grow beyond what the tests check.
"""

from __future__ import annotations

import re
from typing import Any

ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment", "$defs"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def errors(schema: dict[str, Any], instance: Any) -> list[str]:
    """Every violation, as "path: problem"; empty when the instance is valid."""
    found: list[str] = []
    _check(schema, schema, instance, "$", found)
    return found


def _check(
    root: dict[str, Any], schema: dict[str, Any] | bool, value: Any, path: str, found: list[str]
) -> None:
    if schema is True:
        return
    if schema is False:
        found.append(f"{path}: not allowed")
        return
    for keyword, argument in schema.items():
        if keyword in ANNOTATIONS or keyword in ("then", "else"):
            continue
        handler = KEYWORDS.get(keyword)
        if handler is None:
            raise NotImplementedError(f"keyword {keyword} at {path}")
        handler(root, schema, argument, value, path, found)


def _type(root, schema, argument, value, path, found):
    names = argument if isinstance(argument, list) else [argument]
    if not any(TYPES[name](value) for name in names):
        found.append(f"{path}: {value!r} is not of type {names}")


def _same(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1."""
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _enum(root, schema, argument, value, path, found):
    if not any(_same(value, option) for option in argument):
        found.append(f"{path}: {value!r} not in {argument}")


def _const(root, schema, argument, value, path, found):
    if not _same(value, argument):
        found.append(f"{path}: {value!r} is not {argument!r}")


def _properties(root, schema, argument, value, path, found):
    if isinstance(value, dict):
        for name, sub in argument.items():
            if name in value:
                _check(root, sub, value[name], f"{path}.{name}", found)


def _required(root, schema, argument, value, path, found):
    if isinstance(value, dict):
        found.extend(f"{path}: missing {name}" for name in argument if name not in value)


def _additional(root, schema, argument, value, path, found):
    if isinstance(value, dict):
        for name in value:
            if name not in schema.get("properties", {}):
                _check(root, argument, value[name], f"{path}.{name}", found)


def _property_names(root, schema, argument, value, path, found):
    if isinstance(value, dict):
        for name in value:
            _check(root, argument, name, f"{path}[{name!r}]", found)


def _items(root, schema, argument, value, path, found):
    if isinstance(value, list):
        start = len(schema.get("prefixItems", []))
        for index, item in enumerate(value[start:], start):
            _check(root, argument, item, f"{path}[{index}]", found)


def _prefix_items(root, schema, argument, value, path, found):
    if isinstance(value, list):
        for index, (item, sub) in enumerate(zip(value, argument, strict=False)):
            _check(root, sub, item, f"{path}[{index}]", found)


def _min_items(root, schema, argument, value, path, found):
    if isinstance(value, list) and len(value) < argument:
        found.append(f"{path}: fewer than {argument} items")


def _max_items(root, schema, argument, value, path, found):
    if isinstance(value, list) and len(value) > argument:
        found.append(f"{path}: more than {argument} items")


def _minimum(root, schema, argument, value, path, found):
    if TYPES["number"](value) and value < argument:
        found.append(f"{path}: {value} < {argument}")


def _maximum(root, schema, argument, value, path, found):
    if TYPES["number"](value) and value > argument:
        found.append(f"{path}: {value} > {argument}")


def _pattern(root, schema, argument, value, path, found):
    if isinstance(value, str) and not re.search(argument, value):
        found.append(f"{path}: {value!r} does not match {argument}")


def _ref(root, schema, argument, value, path, found):
    assert argument.startswith("#/"), argument
    target: Any = root
    for part in argument[2:].split("/"):
        target = target[part]
    _check(root, target, value, path, found)


def _any_of(root, schema, argument, value, path, found):
    attempts = [_collect(root, sub, value, path) for sub in argument]
    if all(attempts):
        found.append(
            f"{path}: matches none of anyOf: " + " | ".join("; ".join(a[:2]) for a in attempts)
        )


def _all_of(root, schema, argument, value, path, found):
    for sub in argument:
        _check(root, sub, value, path, found)


def _if(root, schema, argument, value, path, found):
    branch = "then" if not _collect(root, argument, value, path) else "else"
    if branch in schema:
        _check(root, schema[branch], value, path, found)


def _collect(root, schema, value, path) -> list[str]:
    found: list[str] = []
    _check(root, schema, value, path, found)
    return found


KEYWORDS = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "properties": _properties,
    "required": _required,
    "additionalProperties": _additional,
    "propertyNames": _property_names,
    "items": _items,
    "prefixItems": _prefix_items,
    "minItems": _min_items,
    "maxItems": _max_items,
    "minimum": _minimum,
    "maximum": _maximum,
    "pattern": _pattern,
    "$ref": _ref,
    "anyOf": _any_of,
    "allOf": _all_of,
    "if": _if,
}
