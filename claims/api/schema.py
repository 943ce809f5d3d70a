"""OpenAPI post-processing: CSV answers described as text, inputs as validated, every error answer documented.

drf-spectacular documents the success answers it can see in a view. The errors come from places it
cannot see (the strict filter backend, the paginator, content negotiation, authentication, the
throttle, the middleware limits, the services' conflicts and stale versions), so they are added here,
to every operation they can happen to, all with the one error shape (``Error``): a client generated
from the schema then handles each of them.
"""

from __future__ import annotations

CSV_SCHEMA = {
    "type": "string",
    "description": "CSV with a header row (the columns of the JSON record: nested objects flattened into "
    "dotted columns such as expert.name, lists joined with '; ', booleans true/false, null empty). Lists stream "
    "every matching row and end with the line '# end of export: N rows'; a file without it was cut short. "
    "format=csv-excel starts the file with a UTF-8 byte-order mark for Excel.",
}

ERROR_COMPONENT = "Error"

ERROR_SCHEMA = {
    "type": "object",
    "description": 'Every error answer: a human-readable "detail", and, depending on the error, the fields below.',
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in a sentence."},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "Messages per field of the body (or per query parameter).",
        },
        "parameter": {"type": "string", "description": "The query parameter at fault."},
        "unknown_parameters": {"type": "array", "items": {"type": "string"}},
        "accepted_parameters": {"type": "array", "items": {"type": "string"}},
        "repeated_parameters": {"type": "array", "items": {"type": "string"}},
        "formats": {
            "type": "array",
            "items": {"type": "string"},
            "description": "The formats this endpoint answers in (an unknown ?format=).",
        },
        "limit": {"type": "integer", "description": "The limit that was exceeded (414, too many parameters)."},
    },
    "additionalProperties": True,
}

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before the next request.",
        "schema": {"type": "integer", "minimum": 0},
        "required": True,
    }
}

WWW_AUTHENTICATE = {
    "WWW-Authenticate": {
        "description": "The authentication scheme to use (Token).",
        "schema": {"type": "string"},
    }
}

# status -> description; which operations get each is decided in _error_statuses.
ERROR_DESCRIPTIONS = {
    "400": "Bad request: an unknown, repeated or malformed query parameter (named in parameter, with "
    "accepted_parameters), an unknown format (with formats), too many query parameters, or an invalid body "
    "(errors per field).",
    "401": "The credentials sent are invalid (a revoked or unknown token), or a write came without any.",
    "403": "Authenticated, but without the permission this change needs.",
    "404": "No such record, or not one you may see (anonymous clients see approved claims only).",
    "406": "No format this endpoint offers matches the Accept header (and no ?format= was given).",
    "409": "The change conflicts with existing data (a uniqueness rule, or a record still referenced).",
    "412": "If-Match names a version other than the current one: read the record again.",
    "413": "The request body is larger than the limit.",
    "414": "The URL is longer than the limit.",
    "415": "The body's Content-Type is not JSON or a form.",
    "429": "Too many requests from an anonymous client: wait Retry-After seconds.",
}

# Control parameters: each is validated by its own rule (an empty limit is refused, an empty cursor or
# format means none); every other query parameter is a filter, and an empty filter filters nothing.
CONTROL_PARAMETERS = frozenset({"cursor", "limit", "offset", "format"})
# No text the API accepts may contain NUL (PostgreSQL cannot store it; filters refuse it with 400).
NO_NUL = "^[^\\x00]*$"

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


def csv_responses_are_text(result, generator, request, public):
    """drf-spectacular reuses the JSON schema for every renderer; a text/csv body is a string."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {}) if isinstance(response, dict) else {}
                if "text/csv" in content:
                    content["text/csv"] = {"schema": dict(CSV_SCHEMA)}
    return result


def _refuses_nul(schema: dict) -> None:
    """Strings of a schema (and of its properties and items) say that NUL is refused."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    if schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
        schema["pattern"] = NO_NUL
    for child in (schema.get("properties") or {}).values():
        _refuses_nul(child)
    _refuses_nul(schema.get("items"))
    for key in ("anyOf", "oneOf", "allOf"):
        for child in schema.get(key, ()):
            _refuses_nul(child)


def _describe_query_parameter(parameter: dict) -> None:
    """What the filter backend really accepts: strings without NUL, true/false as strings, and an
    empty value for any filter (the browsable API's filter form sends every field, filled or not)."""
    schema = parameter.get("schema")
    if parameter.get("in") != "query" or not isinstance(schema, dict):
        return
    if schema.get("type") == "boolean" and all(isinstance(value, str) for value in schema.get("enum", ())):
        schema["type"] = "string"  # a model BooleanField behind a true/false ChoiceFilter
    _refuses_nul(schema)
    if parameter["name"] in CONTROL_PARAMETERS or (
        schema.get("type") == "string" and set(schema) <= {"type", "pattern"}
    ):
        return
    parameter["schema"] = {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


def _error_statuses(path: str, method: str, operation: dict) -> list[str]:
    statuses = ["400", "401", "406", "414", "429"]
    if "{" in path:
        statuses.append("404")
    if method in WRITE_METHODS:
        statuses += ["403", "409"]
    if "requestBody" in operation:
        statuses += ["413", "415"]
    if any(parameter.get("name") == "If-Match" for parameter in operation.get("parameters", [])):
        statuses.append("412")
    return sorted(statuses)


def _error_response(status: str) -> dict:
    response = {
        "description": ERROR_DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}},
    }
    if status == "429":
        response["headers"] = dict(RETRY_AFTER)
    elif status == "401":
        response["headers"] = dict(WWW_AUTHENTICATE)
    return response


def _response_name(status: str) -> str:
    return f"Error{status}"


def document_errors(result, generator, request, public):
    """Every operation lists the error answers it can give (components/responses/Error<status>, each
    with the Error schema).

    Reads are open to anonymous clients too (``{}`` among the security requirements: what they see
    is narrowed, never refused), so that a client knows it may call them without credentials.
    """
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    shared = components.setdefault("responses", {})
    for status in ERROR_DESCRIPTIONS:
        shared[_response_name(status)] = _error_response(status)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(path, method, operation):
                responses.setdefault(status, {"$ref": f"#/components/responses/{_response_name(status)}"})
            security = operation.get("security")
            if method not in WRITE_METHODS and security and {} not in security:
                security.append({})
    return result


def describe_inputs(result, generator, request, public):
    """Query parameters and bodies as the API validates them (see _describe_query_parameter), so that
    a request the schema allows is one the API accepts, and the other way round."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):  # the bodies (COMPONENT_SPLIT_REQUEST)
            _refuses_nul(schema)
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method in METHODS:
                for parameter in operation.get("parameters", ()):
                    _describe_query_parameter(parameter)
    return result
