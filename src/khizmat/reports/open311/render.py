"""Open311 GeoReport v2 output in JSON and XML, and the standard error body."""

import json
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

# Plural container → element name of one item, as in the GeoReport v2 examples.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _fill(parent: Element, key: str, value) -> None:
    if isinstance(value, list):
        container = SubElement(parent, key)
        for item in value:
            _fill(container, ITEM_NAMES.get(key, "item"), item)
    elif isinstance(value, dict):
        node = SubElement(parent, key)
        for child_key, child_value in value.items():
            _fill(node, child_key, child_value)
    else:
        node = SubElement(parent, key)
        if value is not None:
            node.text = str(value).lower() if isinstance(value, bool) else str(value)


def respond(data, *, root: str, fmt: str, status: int = 200) -> HttpResponse:
    """``data`` is a list (of services, requests, errors) or a dict (a service definition, discovery)."""
    if fmt == "xml":
        if isinstance(data, list):
            element = Element(root)
            for item in data:
                _fill(element, ITEM_NAMES.get(root, "item"), item)
        else:
            element = Element(root)
            for key, value in data.items():
                _fill(element, key, value)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + tostring(element, encoding="unicode").encode(
            "utf-8"
        )
        return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/json; charset=utf-8", status=status
    )


def error(status: int, description: str, *, fmt: str) -> HttpResponse:
    return respond([{"code": status, "description": str(description)}], root="errors", fmt=fmt, status=status)
