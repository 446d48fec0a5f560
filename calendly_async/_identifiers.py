"""Resource names: accept a UUID or a full URI everywhere. Pure functions.

Calendly rule (reference §1, "Identifiers"): query parameters and body fields
that point at another resource take the full URI
(``https://api.calendly.com/users/ABC``), path parameters take the bare UUID
(the URI's last segment).

A UUID is made into ``https://api.calendly.com/<collection>/<uuid>`` whatever host
the client talks to: that URI is the resource's name, not an address, so a proxy
or mock ``base_url`` never leaks into filter or body values. A full URI (on any
host) is sent unchanged.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .errors import InvalidInputError

__all__ = ["CALENDLY_API_ORIGIN", "canonical_uri", "resource_uri", "resource_uuid"]

CALENDLY_API_ORIGIN = "https://api.calendly.com"
"""Calendly rule (reference §1, "Identifiers"): every resource's ``uri`` is
``https://api.calendly.com/<collection>/<UUID>``, whichever ``base_url`` the
client sends requests to."""

# Calendly UUIDs are opaque: hex with dashes, or upper-case base32 in examples.
_UUID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")


def _check_text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"{what} must be a UUID or URI string, not {type(value).__name__}")
    text = value.strip()
    if not text:
        raise InvalidInputError(f"{what} must not be empty")
    return text


def _uuid_from_uri(uri: str, collection: str, what: str) -> str:
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInputError(f"{what} {uri!r} is not a UUID or an http(s) URI")
    if parts.query or parts.fragment:
        raise InvalidInputError(f"{what} {uri!r} must not carry a query or fragment")
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[-2] != collection.rsplit("/", 1)[-1]:
        raise InvalidInputError(
            f"{what} {uri!r} is not a {collection} URI (expected .../{collection}/<uuid>)"
        )
    uuid = segments[-1]
    if not _UUID.match(uuid):
        raise InvalidInputError(f"{what} {uri!r} does not end in a valid UUID")
    return uuid


def resource_uuid(value: str, collection: str, *, what: str | None = None) -> str:
    """Return the UUID of ``value``, given as a UUID or a URI of ``collection``.

    ``collection`` is the path segment before the UUID (``"users"``,
    ``"scheduled_events"``, ``"invitations"``). Raises ``InvalidInputError`` for
    anything else, before any request is sent.
    """
    label = what or collection.rstrip("s")
    text = _check_text(value, label)
    if "/" in text or ":" in text:
        return _uuid_from_uri(text, collection, label)
    if not _UUID.match(text):
        raise InvalidInputError(f"{label} {text!r} is not a valid UUID")
    return text


def canonical_uri(collection: str, uuid: str) -> str:
    """Calendly's name for a resource: ``https://api.calendly.com/{collection}/{uuid}``."""
    return f"{CALENDLY_API_ORIGIN}/{collection}/{uuid}"


def resource_uri(value: str, collection: str, *, what: str | None = None) -> str:
    """Return the full URI of ``value``, given as a UUID or a URI of ``collection``.

    A URI is checked and passed through unchanged (any host); a UUID becomes
    ``https://api.calendly.com/{collection}/{uuid}`` (``canonical_uri``), never
    a URI on the client's ``base_url``.
    """
    label = what or collection.rstrip("s")
    text = _check_text(value, label)
    if "/" in text or ":" in text:
        _uuid_from_uri(text, collection, label)
        return text
    return canonical_uri(collection, resource_uuid(text, collection, what=label))
