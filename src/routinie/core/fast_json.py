"""JSON answers for hot API reads, encoded by orjson instead of ninja's validate-then-encode.

Parsed, the body is what ninja's renderer writes; only spacing differs, and non-ASCII text is
written as UTF-8 rather than escaped. Dates and times are formatted by the same
`DjangoJSONEncoder` that ninja's renderer uses (milliseconds, `Z` for UTC), UUIDs as their
canonical string. The endpoint keeps its declared `response=` schema for the OpenAPI document;
a test holds each such answer to that schema.
"""

from typing import Any

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

CONTENT_TYPE = "application/json; charset=utf-8"  # what ninja's JSONRenderer answers
_DJANGO_ENCODER = DjangoJSONEncoder()
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME  # dates and times go to _default, formatted as ninja


def _default(value: Any) -> Any:
    """What orjson leaves to us (dates, times, decimals), encoded as ninja's renderer does."""
    return _DJANGO_ENCODER.default(value)


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """`data` as a JSON answer, without a model object or a pydantic validation per item."""
    body = orjson.dumps(data, default=_default, option=_OPTIONS)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE)
