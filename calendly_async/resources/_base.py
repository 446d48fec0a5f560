"""The base of the endpoint namespaces: build a request, return a model or a Paginator.

Resources never touch aiohttp; they hand method, path, query and body to the
transport and decode what comes back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from .._decoding import (
    decode_bare,
    decode_collection,
    decode_page_body,
    decode_resource,
    next_page_token,
)
from .._identifiers import resource_uri, resource_uuid
from .._params import QueryValue
from .._retry import RetryPolicy
from .._transport import Transport
from ..errors import InvalidInputError
from ..pagination import Page, Paginator
from ._inputs import check_name, optional

__all__ = ["DEFAULT_PAGE_SIZE", "Resource"]

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 100
"""Calendly's maximum ``count`` for most lists (reference §2); its own default is 20."""


def check_count(count: int, maximum: int = DEFAULT_PAGE_SIZE) -> int:
    """Calendly rule: ``count`` is 1..100 (1..1000 for the activity log)."""
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= maximum:
        raise InvalidInputError(f"count must be an integer from 1 to {maximum}, not {count!r}")
    return count


def require(value: object, name: str) -> None:
    """Refuse a missing required argument (``None``, empty or blank) before any request."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or (isinstance(value, str | list | tuple) and not value):
        raise InvalidInputError(f"{name} is required")


class Resource:
    """Base class of ``client.users``, ``client.scheduled_events`` and the others."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._transport.base_url!r})"

    def _uri(self, value: str, collection: str, what: str | None = None) -> str:
        return resource_uri(value, collection, what=what)

    @staticmethod
    def _uuid(value: str, collection: str, what: str | None = None) -> str:
        return resource_uuid(value, collection, what=what)

    async def _get(
        self, path: str, model: type[T], params: Mapping[str, QueryValue] | None = None
    ) -> T:
        response = await self._transport.request("GET", path, params=params)
        return decode_resource(response, model)

    async def _get_bare(
        self, path: str, model: type[T], params: Mapping[str, QueryValue] | None = None
    ) -> T:
        response = await self._transport.request("GET", path, params=params)
        return decode_bare(response, model)

    async def _collection(
        self, path: str, model: type[T], params: Mapping[str, QueryValue] | None = None
    ) -> list[T]:
        response = await self._transport.request("GET", path, params=params)
        return decode_collection(response, model)

    async def _send(
        self,
        method: str,
        path: str,
        model: type[T],
        body: Mapping[str, Any],
        *,
        retry: RetryPolicy | None = None,
    ) -> T:
        response = await self._transport.request(
            method, path, json={k: v for k, v in body.items() if v is not None}, retry=retry
        )
        return decode_resource(response, model)

    async def _post_no_content(self, path: str, body: Mapping[str, Any]) -> None:
        await self._transport.request("POST", path, json=body)

    async def _delete(self, path: str) -> None:
        await self._transport.request("DELETE", path)

    def _list(
        self,
        path: str,
        model: type[T],
        params: Mapping[str, QueryValue],
        *,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
        max_count: int = DEFAULT_PAGE_SIZE,
    ) -> Paginator[T]:
        base_params = {**params, "count": check_count(count, max_count)}
        optional(check_name, page_token, "page_token")

        async def fetch(token: str | None) -> Page[T]:
            query = base_params if token is None else {**base_params, "page_token": token}
            response = await self._transport.request("GET", path, params=query)
            body = decode_page_body(response, model)
            return Page(
                items=body.collection,
                next_page_token=next_page_token(body.pagination),
                pagination=body.pagination,
                total_count=body.total_count,
                response=response,
            )

        return Paginator(fetch, page_token=page_token)
