"""Helpers every route module uses: paginated answers, scope checks, time ranges."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from aiohttp import web

from ._context import context
from ._http import bad_request, forbidden, not_found, time_param, uuid_of
from ._paging import SortKey, page_response, parse_sort
from ._store import Store

__all__ = ["check_organization", "check_range", "check_user", "list_response", "time_range"]


def list_response(
    request: web.Request,
    load: Callable[[], Iterable[Any]],
    fields: Mapping[str, SortKey],
    default_sort: str,
    *,
    max_count: int = 100,
    extra: Callable[[list[Any]], dict[str, Any]] | None = None,
) -> web.Response:
    """A page of ``load()`` sorted per the request's ``sort`` (or ``default_sort``)."""
    ctx = context(request)
    spec = parse_sort(request, fields, default_sort)
    return page_response(
        request,
        load,
        fields,
        spec,
        base_url=ctx.store.base_url,
        cache=ctx.cache,
        version=ctx.store.version,
        max_count=max_count,
        extra=extra,
    )


def check_organization(store: Store, uri: str) -> None:
    """403 unless ``uri`` (or UUID) names the mock's organization."""
    if uuid_of(uri) != store.organization_uuid:
        raise forbidden("You do not have permission to access this organization.")


def check_user(store: Store, uri: str, *, missing: str = "forbidden") -> str:
    """The UUID of a member of the organization; 403 (or 404) for anyone else."""
    uuid = uuid_of(uri)
    if uuid == "me":
        return store.owner_uuid
    if uuid not in store.users:
        if missing == "not_found":
            raise not_found()
        raise forbidden("This user is not in your organization")
    return uuid


def time_range(request: web.Request) -> tuple[datetime, datetime]:
    """The required ``start_time`` and ``end_time`` query parameters (400 when missing)."""
    start = time_param(request, "start_time", need=True)
    end = time_param(request, "end_time", need=True)
    if start is None or end is None:  # unreachable: need=True raises first
        raise bad_request("start_time", "is required")
    return start, end


def check_range(
    start: datetime, end: datetime, max_days: int, *, now: datetime | None = None
) -> None:
    """400 unless ``start < end``, the range spans at most ``max_days`` and (when
    ``now`` is given) ``start`` is not in the past (one minute of clock skew allowed)."""
    if end <= start:
        raise bad_request("end_time", "must be after start_time")
    if (end - start).total_seconds() > max_days * 86_400:
        raise bad_request("end_time", f"must be at most {max_days} days after start_time")
    if now is not None and (now - start).total_seconds() > 60:
        raise bad_request("start_time", "must be in the future")
