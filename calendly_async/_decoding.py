"""Response bodies to models: one cached ``msgspec`` decoder per (envelope, type).

Calendly envelopes (reference §1): ``{"resource": {...}}`` for one object,
``{"collection": [...], "pagination": {...}}`` for lists, ``{"collection": [...]}``
without pagination for a few endpoints, a bare object for sample webhook data.
"""

from __future__ import annotations

import functools
from typing import Any, Generic, TypeVar, cast
from urllib.parse import parse_qs, urlsplit

import msgspec

from ._json import MALFORMED_JSON
from ._transport import Response
from .errors import DecodeError

__all__ = [
    "Pagination",
    "decode_bare",
    "decode_collection",
    "decode_page_body",
    "decode_resource",
    "next_page_token",
]

T = TypeVar("T")


class Pagination(msgspec.Struct, kw_only=True):
    """Calendly's ``pagination`` object.

    ``next_page_token`` is ``UNSET`` when the key is absent (older responses
    only carry the ``next_page`` URL), ``None`` when it is ``null``.
    """

    count: int | None = None
    next_page: str | None = None
    previous_page: str | None = None
    next_page_token: str | msgspec.UnsetType | None = msgspec.UNSET
    previous_page_token: str | msgspec.UnsetType | None = msgspec.UNSET


class _Resource(msgspec.Struct, Generic[T]):
    resource: T


class _Collection(msgspec.Struct, Generic[T]):
    collection: list[T]


class PageBody(msgspec.Struct, Generic[T], kw_only=True):
    """A paginated list body. ``total_count`` is sent by a few endpoints (activity log)."""

    collection: list[T]
    pagination: Pagination = msgspec.field(default_factory=Pagination)
    total_count: int | None = None


@functools.cache
def _decoder(envelope: Any, model: Any) -> msgspec.json.Decoder[Any]:
    target = model if envelope is None else envelope[model]
    return msgspec.json.Decoder(target)


def _decode(envelope: Any, model: Any, response: Response) -> Any:
    try:
        return _decoder(envelope, model).decode(response.body)
    except msgspec.ValidationError as exc:
        raise DecodeError(
            f"unexpected response body from {response.method} {response.url}: {exc}",
            path=str(exc).rpartition(" - at `")[2].rstrip("`") or None,
            url=response.url,
        ) from exc
    except MALFORMED_JSON as exc:
        # Invalid JSON, or nested too deeply for msgspec (RecursionError).
        raise DecodeError(
            f"response from {response.method} {response.url} is not valid JSON: {exc}",
            url=response.url,
        ) from exc


def decode_resource(response: Response, model: type[T]) -> T:
    """Decode ``{"resource": {...}}``."""
    return cast(T, _decode(_Resource, model, response).resource)


def decode_collection(response: Response, model: type[T]) -> list[T]:
    """Decode an unpaginated ``{"collection": [...]}``."""
    return cast(list[T], _decode(_Collection, model, response).collection)


def decode_page_body(response: Response, model: type[T]) -> PageBody[T]:
    """Decode ``{"collection": [...], "pagination": {...}}``."""
    return cast(PageBody[T], _decode(PageBody, model, response))


def decode_bare(response: Response, model: type[T]) -> T:
    """Decode a body that is the object itself."""
    return cast(T, _decode(None, model, response))


def next_page_token(pagination: Pagination) -> str | None:
    """The token of the next page, or ``None`` on the last page.

    Prefers ``next_page_token``; when that key is absent (older API versions),
    takes ``page_token`` out of the ``next_page`` URL. The URL's host is never
    used: the caller sends the token to its own ``base_url``.
    """
    if not isinstance(pagination.next_page_token, msgspec.UnsetType):
        return pagination.next_page_token or None
    if not pagination.next_page:
        return None
    tokens = parse_qs(urlsplit(pagination.next_page).query).get("page_token")
    if not tokens or not tokens[0]:
        raise DecodeError(f"pagination.next_page has no page_token: {pagination.next_page!r}")
    return tokens[0]
