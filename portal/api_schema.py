"""Schema post-processing: document the error answers every staff API operation can give.

drf-spectacular documents only the success. The API also answers 403 to anyone without a
second-factor-verified session (and 401 where DRF asks for credentials), 404 for a record
out of scope or missing (and a page past the end), and 400 with field errors for bad input.
Fuzzing (tests/security/test_api_fuzz.py) holds the API to this.
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
FIELD_ERRORS = {
    "oneOf": [
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {"type": "string"}},
    ],
    "description": "Field errors by field name, or a list of messages about the whole input.",
}


def _response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _pages_start_at_one(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("name") == "page" and parameter.get("in") == "query":
            parameter.setdefault("schema", {"type": "integer"})["minimum"] = 1


def document_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _pages_start_at_one(operation)
            responses = operation["responses"]
            responses.setdefault("401", _response("Not signed in.", ERROR))
            responses.setdefault("403", _response("No verified session, or not allowed.", ERROR))
            not_found = _response("Out of scope or missing.", ERROR)
            # A path that matches no route at all (an id that is not a number) is answered by
            # Django's own "page not found" page.
            not_found["content"]["text/html"] = {"schema": {"type": "string"}}
            responses.setdefault("404", not_found)
            has_input = operation.get("parameters") or operation.get("requestBody")
            if has_input or method in ("post", "put", "patch"):
                responses.setdefault("400", _response("Invalid input.", FIELD_ERRORS))
    return result
