"""The two formats of GeoReport v2, chosen by the extension of the address (services.json,
services.xml), never by the Accept header.

XML is built with xml.etree, which escapes text; characters XML 1.0 cannot carry at all (most
control characters) are dropped first, so that a citizen's text can never make the document
ill-formed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

# Element names of the repeated children of the spec's lists.
ITEM_NAMES = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
ERRORS_ROOT, ERROR_ITEM = "errors", "error"
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
TAG = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


class Open311JSONRenderer(JSONRenderer):
    format = "json"
    media_type = "application/json"
    charset = "utf-8"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _fill(_child(element, str(key)), child)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        item = ITEM_NAMES.get(element.tag, "item")
        for child in value:
            _fill(_child(element, item), child)
    else:
        element.text = _text(value)


def _child(parent: ET.Element, tag: str) -> ET.Element:
    # Element names come from this package's own code, never from input: a bad one is a bug.
    if not TAG.match(tag):
        raise ValueError(f"not an XML element name: {tag!r}")
    return ET.SubElement(parent, tag)


def to_xml(data: Any, *, root: str, item: str) -> bytes:
    """`data` as a GeoReport document: a list becomes `<root><item>…</item>…</root>`, a
    mapping `<root><key>…</key>…</root>`."""
    element = ET.Element(root)
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        for child in data:
            _fill(_child(element, item), child)
    else:
        _fill(element, data)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode").encode("utf-8")


class Open311XMLRenderer(BaseRenderer):
    """Root and item names come from the view (`xml_root`, `xml_item`); errors are always
    `<errors><error>…</error></errors>`."""

    format = "xml"
    media_type = "text/xml"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        context = renderer_context or {}
        response = context.get("response")
        view = context.get("view")
        if response is not None and response.status_code >= 400:
            root, item = ERRORS_ROOT, ERROR_ITEM
        else:
            root = getattr(view, "xml_root", "response")
            item = getattr(view, "xml_item", "item")
        if data is None:
            return b""
        return to_xml(data, root=root, item=item)


class SuffixNegotiation(DefaultContentNegotiation):
    """The format is the address's extension, whatever the Accept header says; without one
    (an unknown address), JSON."""

    def select_renderer(
        self, request: Request, renderers: Any, format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        wanted = format_suffix or renderers[0].format
        for renderer in renderers:
            if renderer.format == wanted:
                return renderer, renderer.media_type
        raise exceptions.NotFound(_("Not a format of this API: use .json or .xml."))
