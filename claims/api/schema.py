"""OpenAPI post-processing: describe CSV answers as what they are, text."""

CSV_SCHEMA = {
    "type": "string",
    "description": "CSV with a header row (the columns of the JSON record: nested objects flattened into "
    "dotted columns such as expert.name, lists joined with '; ', booleans true/false, null empty). Lists stream "
    "every matching row and end with the line '# end of export: N rows'; a file without it was cut short. "
    "format=csv-excel starts the file with a UTF-8 byte-order mark for Excel.",
}


def csv_responses_are_text(result, generator, request, public):
    """drf-spectacular reuses the JSON schema for every renderer; a text/csv body is a string."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {}) if isinstance(response, dict) else {}
                if "text/csv" in content:
                    content["text/csv"] = {"schema": dict(CSV_SCHEMA)}
    return result
