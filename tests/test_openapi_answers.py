"""The API description states every answer and every limit (issue 15, item 10): walking the
generated description, each operation lists the error answers that follow from what it takes,
in the one error shape, and each input states the limits the code enforces. An operation added
later is held to the same rules with no change here."""

from collections.abc import Iterator
from typing import Any

import pytest

from routinie.api import api
from routinie.core.date_range import EARLIEST, LATEST
from routinie.core.pagination import MAX_LIMIT
from routinie.core.schemas import TEXT_PATTERN

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
COMPONENTS: dict[str, Any] = SCHEMA["components"]["schemas"]
OPERATIONS = [
    (f"{method.upper()} {path}", operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
]
ERROR_REF = "#/components/schemas/ErrorOut"


def _resolved(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _leaves(
    schema: dict[str, Any], where: str, seen: frozenset[str] = frozenset()
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every scalar schema inside `schema` (through refs, objects, arrays and anyOf), by path."""
    ref = schema.get("$ref", "")
    if ref and ref in seen:
        return
    seen = seen | {ref} if ref else seen
    schema = _resolved(schema)
    if "anyOf" in schema:
        for option in schema["anyOf"]:
            yield from _leaves(option, where, seen)
    elif schema.get("type") == "object" or "properties" in schema:
        for name, prop in schema.get("properties", {}).items():
            yield from _leaves(prop, f"{where}.{name}", seen)
    elif schema.get("type") == "array":
        yield where, schema
        yield from _leaves(schema.get("items", {}), f"{where}[]", seen)
    else:
        yield where, schema


def _inputs(operation: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for parameter in operation.get("parameters", []):
        yield from _leaves(parameter["schema"], f"{parameter['in']} {parameter['name']}")
    for media in operation.get("requestBody", {}).get("content", {}).values():
        yield from _leaves(media["schema"], "body")


def _error_answers(operation: dict[str, Any]) -> dict[int, dict[str, Any]]:
    responses = operation["responses"].items()
    return {int(code): answer for code, answer in responses if int(code) >= 400}


@pytest.mark.parametrize(("label", "operation"), OPERATIONS, ids=[op[0] for op in OPERATIONS])
def test_each_operation_lists_the_error_answers_its_inputs_can_give(label, operation):
    answers = _error_answers(operation)
    expected = set()
    if operation.get("security"):
        expected.add(401)
    if operation.get("parameters") or "requestBody" in operation:
        expected.add(422)
    if "requestBody" in operation:
        expected |= {400, 413}
    if any(p["in"] == "path" for p in operation.get("parameters", [])):
        expected.add(404)
    if any(p["name"] == "cursor" for p in operation.get("parameters", [])):
        expected.add(400)
    assert expected <= set(answers), f"{label} lacks {sorted(expected - set(answers))}"
    for code, answer in answers.items():
        schema = answer["content"]["application/json"]["schema"]
        assert schema == {"$ref": ERROR_REF}, f"{label} {code}"
        assert answer["description"], f"{label} {code}"


def test_the_error_shape_names_each_field_with_its_message_and_code():
    error = COMPONENTS["ErrorOut"]
    assert set(error["required"]) == {"detail"}
    item = _resolved(error["properties"]["errors"]["items"])
    assert set(item["properties"]) == {"field", "message", "code"}


@pytest.mark.parametrize(
    ("operation_id", "codes"),
    [
        ("routinie_tracking_api_stop_timer", {401, 409}),
        ("routinie_accounts_api_signup", {400, 409, 413, 422, 429}),
        ("routinie_accounts_api_create_token", {401, 429}),
        ("routinie_billing_api_subscribe", {402, 409, 503}),
        ("routinie_privacy_export_api_start", {401, 429}),
    ],
)
def test_the_answers_of_an_operations_own_rules_are_listed(operation_id, codes):
    (operation,) = [op for _, op in OPERATIONS if op["operationId"] == operation_id]
    assert codes <= set(_error_answers(operation))


def test_every_text_an_input_takes_states_its_length_and_refuses_nul():
    for label, operation in OPERATIONS:
        for where, schema in _inputs(operation):
            if schema.get("type") != "string" or "format" in schema or "enum" in schema:
                continue
            assert "maxLength" in schema, f"{label} {where}: no maxLength"
            assert schema.get("pattern") == TEXT_PATTERN, f"{label} {where}: NUL not refused"


def test_every_date_an_input_takes_states_the_one_range():
    dated = 0
    for label, operation in OPERATIONS:
        for where, schema in _inputs(operation):
            if schema.get("format") in ("date", "date-time"):
                dated += 1
                assert schema.get("x-minimum") == EARLIEST.isoformat(), f"{label} {where}"
                assert schema.get("x-maximum") == LATEST.isoformat(), f"{label} {where}"
    assert dated >= 10


def test_list_limits_and_enums_are_stated():
    limits = [
        schema
        for _, operation in OPERATIONS
        for where, schema in _inputs(operation)
        if where == "query limit" and schema.get("type") == "integer"
    ]
    assert len(limits) >= 4
    assert all((s["minimum"], s["maximum"]) == (1, MAX_LIMIT) for s in limits)
    summary = next(
        op for _, op in OPERATIONS if op["operationId"] == "routinie_tracking_api_summary"
    )
    group_by = dict(_inputs(summary))["query group_by"]
    assert group_by["enum"] == ["day", "week", "month", "project", "tag"]


def test_names_that_cannot_be_empty_say_so():
    for component, field in [("ProjectIn", "name"), ("RoutineIn", "name"), ("SignUpIn", "name")]:
        assert COMPONENTS[component]["properties"][field]["minLength"] == 1
