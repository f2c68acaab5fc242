"""The API description states every answer an operation can give, not only its success.

The error answers follow from what an operation takes: a bearer token gives 401; a body or
parameters, 422; a body, 400 when it cannot be read and 413 when too big; an id in its path,
404; a cursor, 400; a client id in a create, 409. `add_error_answers` adds them to the generated
description in the one error shape, with the answers of an operation's own rules (a 409 of a
running timer, a 429 of a throttle), which `routinie.api` lists by operation id."""

from collections.abc import Mapping
from typing import Any

from routinie.core.schemas import ErrorOut

ERROR_SCHEMA = "ErrorOut"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}

WHY = {
    400: "A malformed request: a forged cursor, a body that is not JSON, a bad signature.",
    401: "Authentication required: no bearer token (or session), or one revoked or wrong.",
    402: "The payment was declined.",
    403: "Not allowed for this account.",
    404: "Not found, or not yours.",
    409: "A conflict with the current state: the same id with other content, a name taken, "
    "nothing running.",
    413: "The body is over the size limit.",
    422: "The request is not valid: each error names its field, with a message and a code.",
    429: "Too many attempts: try again after the seconds in Retry-After.",
    503: "The payment processor cannot be reached: try again later.",
}

BODY_METHODS = {"post", "put", "patch", "delete"}


def _body_properties(operation: Mapping[str, Any], schemas: Mapping[str, Any]) -> set[str]:
    content = operation.get("requestBody", {}).get("content", {})
    names: set[str] = set()
    for media in content.values():
        schema = media.get("schema", {})
        ref = schema.get("$ref", "")
        if ref:
            schema = schemas.get(ref.rsplit("/", 1)[-1], {})
        names.update(schema.get("properties", {}))
    return names


def answers_by_rule(operation: Mapping[str, Any], schemas: Mapping[str, Any]) -> set[int]:
    """The error answers an operation gives by what it takes."""
    parameters = operation.get("parameters", [])
    answers: set[int] = set()
    if operation.get("security"):
        answers.add(401)
    if parameters or "requestBody" in operation:
        answers.add(422)
    if "requestBody" in operation:
        answers.update((400, 413))  # a body that is not JSON (or not a form); over the limit
    if any(p.get("in") == "path" for p in parameters):
        answers.add(404)
    if any(p.get("in") == "query" and p.get("name") == "cursor" for p in parameters):
        answers.add(400)
    if "id" in _body_properties(operation, schemas):
        answers.add(409)  # a repeated create with the same client id and other content
    return answers


def add_error_answers(schema: dict[str, Any], extra: Mapping[str, tuple[int, ...]]) -> None:
    """Add to every operation of `schema` (an OpenAPI document, changed in place) the error
    answers it gives, by rule and from `extra` (operation id -> codes), in the error shape."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error.pop("$defs", {}))
    components[ERROR_SCHEMA] = error
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            codes = answers_by_rule(operation, components)
            codes.update(extra.get(operation.get("operationId", ""), ()))
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                if code in responses or str(code) in responses:  # ninja's keys are ints
                    continue
                responses[code] = {
                    "description": WHY[code],
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
