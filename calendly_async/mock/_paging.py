"""Keyset pagination with opaque page tokens, sorting, and the paginated envelope.

Calendly rules (reference §2):

- ``count`` is 1..100 (1..1000 for the activity log), default 20; beyond is a 400;
- ``page_token`` is opaque; re-issue the same request with ``next_page_token``
  until it is null; ``pagination`` always has ``count``, ``next_page``,
  ``previous_page``, ``next_page_token`` and ``previous_page_token``;
- ``sort=<field>:<asc|desc>``, comma-separated for several fields.

A token names the sort key of the last (or first) item shown, not an offset, so
items created or deleted between two requests never make a page skip or repeat
an item. A token only works for the query that produced it (same path, filters
and sort); anything else is ``400 page_token is invalid``.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import msgspec
from aiohttp import web

from ._http import bad_request, int_param, json_response

__all__ = [
    "DEFAULT_COUNT",
    "PageCache",
    "SortKey",
    "micros",
    "page_response",
    "parse_sort",
]

DEFAULT_COUNT = 20
"""Calendly's default page size."""

_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MICRO = timedelta(microseconds=1)

SortKey = Callable[[Any], "int | str"]
"""Extracts one sortable value (an int or a str, never ``None``) from an item."""

Raw = tuple["int | str", ...]
Rank = tuple[Any, ...]


def micros(value: datetime | None) -> int:
    """A datetime as integer microseconds since the epoch (``None`` sorts first)."""
    if value is None:
        return -(2**62)
    return (value - _UTC_EPOCH) // _ONE_MICRO


def parse_sort(
    request: web.Request, fields: Mapping[str, SortKey], default: str
) -> list[tuple[str, bool]]:
    """``sort`` as ``[(field, descending)]``; a 400 for an unknown field or direction."""
    text = request.query.get("sort") or default
    spec: list[tuple[str, bool]] = []
    for part in (p.strip() for p in text.split(",")):
        name, _, direction = part.partition(":")
        if name not in fields or direction not in ("asc", "desc"):
            choices = ", ".join(f"{f}:asc|desc" for f in fields)
            raise bad_request("sort", f"must be one of {choices}")
        spec.append((name, direction == "desc"))
    return spec


def _invert(value: int | str) -> Any:
    """A value that sorts in the opposite order (strings: negated code points)."""
    if isinstance(value, int):
        return -value
    return (*(-ord(char) for char in value), 1)


def _rank(raw: Raw, descending: Sequence[bool]) -> Rank:
    return tuple(_invert(v) if desc else v for v, desc in zip(raw, descending, strict=True))


@dataclass(frozen=True, slots=True)
class _Sorted:
    items: list[Any]
    raws: list[Raw]
    ranks: list[Rank]


class PageCache:
    """The sorted result of recent queries, so walking a large list stays linear.

    Keys include the store's version, so any change to the data misses the cache.
    """

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[Any, ...], _Sorted] = OrderedDict()

    def get(self, key: tuple[Any, ...], build: Callable[[], _Sorted]) -> _Sorted:
        """The cached entry for ``key``, built on a miss."""
        entry = self._entries.get(key)
        if entry is None:
            entry = build()
            self._entries[key] = entry
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return entry

    def clear(self) -> None:
        """Forget everything."""
        self._entries.clear()


def _fingerprint(request: web.Request) -> str:
    pairs = sorted((k, v) for k, v in request.query.items() if k not in ("page_token", "count"))
    text = request.path + "?" + urlencode(pairs)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _encode_token(fingerprint: str, direction: str, raw: Raw) -> str:
    data = msgspec.json.encode([1, fingerprint, direction, list(raw)])
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _decode_token(token: str, fingerprint: str, width: int) -> tuple[str, Raw]:
    invalid = bad_request("page_token", "page_token is invalid")
    try:
        data = msgspec.json.decode(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, msgspec.DecodeError):
        raise invalid from None
    if (
        not isinstance(data, list)
        or len(data) != 4
        or data[:2] != [1, fingerprint]
        or data[2] not in ("n", "p")
        or not isinstance(data[3], list)
        or len(data[3]) != width
        or not all(isinstance(v, int | str) and not isinstance(v, bool) for v in data[3])
    ):
        raise invalid
    return data[2], tuple(data[3])


def _count(request: web.Request, maximum: int) -> int:
    count = int_param(request, "count", 1, maximum)
    return DEFAULT_COUNT if count is None else count


def _page_url(request: web.Request, base_url: str, token: str | None) -> str | None:
    if token is None:
        return None
    query = [(k, v) for k, v in request.query.items() if k != "page_token"]
    query.append(("page_token", token))
    return f"{base_url}{request.path}?{urlencode(query)}"


def _build(
    load: Callable[[], Iterable[Any]],
    fields: Mapping[str, SortKey],
    spec: Sequence[tuple[str, bool]],
) -> _Sorted:
    keys = [fields[name] for name, _ in spec]
    descending = [desc for _, desc in spec] + [False]
    decorated = []
    for item in load():
        raw: Raw = (*(key(item) for key in keys), item.uri.rsplit("/", 1)[-1])
        decorated.append((_rank(raw, descending), raw, item))
    decorated.sort(key=lambda entry: entry[0])
    return _Sorted(
        items=[entry[2] for entry in decorated],
        raws=[entry[1] for entry in decorated],
        ranks=[entry[0] for entry in decorated],
    )


def page_response(
    request: web.Request,
    load: Callable[[], Iterable[Any]],
    fields: Mapping[str, SortKey],
    spec: Sequence[tuple[str, bool]],
    *,
    base_url: str,
    cache: PageCache,
    version: int,
    max_count: int = 100,
    extra: Callable[[list[Any]], dict[str, Any]] | None = None,
) -> web.Response:
    """One page of ``load()`` sorted by ``spec`` (ties broken by UUID), in Calendly's envelope.

    Parameters
    ----------
    load:
        Returns the filtered items (each has a ``uri``); called on a cache miss only.
    fields, spec:
        The sortable fields and the parsed ``sort`` (``parse_sort``).
    base_url, cache, version:
        For ``next_page`` URLs and the sorted-result cache.
    max_count:
        The largest ``count`` allowed (100; 1000 for the activity log).
    extra:
        Adds top-level keys computed from every filtered item (activity log totals).
    """
    count = _count(request, max_count)
    fingerprint = _fingerprint(request)
    key = (fingerprint, tuple(spec), version)
    entry = cache.get(key, lambda: _build(load, fields, spec))
    descending = [desc for _, desc in spec] + [False]
    total = len(entry.items)
    start, end = 0, min(count, total)
    token = request.query.get("page_token")
    if token:
        direction, raw = _decode_token(token, fingerprint, len(descending))
        try:
            rank = _rank(raw, descending)
            if direction == "n":
                start = bisect.bisect_right(entry.ranks, rank)
                end = min(start + count, total)
            else:
                end = bisect.bisect_left(entry.ranks, rank)
                start = max(0, end - count)
        except TypeError:
            raise bad_request("page_token", "page_token is invalid") from None
    items = entry.items[start:end]
    next_token = prev_token = None
    if items and end < total:
        next_token = _encode_token(fingerprint, "n", entry.raws[end - 1])
    if items and start > 0:
        prev_token = _encode_token(fingerprint, "p", entry.raws[start])
    body: dict[str, Any] = {
        "collection": items,
        "pagination": {
            "count": len(items),
            "next_page": _page_url(request, base_url, next_token),
            "previous_page": _page_url(request, base_url, prev_token),
            "next_page_token": next_token,
            "previous_page_token": prev_token,
        },
    }
    if extra is not None:
        body.update(extra(entry.items))
    return json_response(body)
