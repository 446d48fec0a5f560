"""Availability schedules and busy times of a user (reference §6.5).

Calendly rules: ``GET /user_availability_schedules?user=`` lists every schedule
without pagination; ``GET /user_busy_times`` needs ``user``, ``start_time`` and
``end_time`` and covers at most 7 days from a future start.
"""

from __future__ import annotations

from aiohttp import web

from .._availability import busy_times
from .._context import context
from .._http import collection, lookup, required, resource
from .._listing import check_range, check_user, time_range

__all__ = ["BUSY_TIMES_MAX_DAYS", "routes"]

routes = web.RouteTableDef()

BUSY_TIMES_MAX_DAYS = 7
"""Calendly rule: busy times cover at most 7 days per request."""


@routes.get("/user_availability_schedules")
async def list_schedules(request: web.Request) -> web.Response:
    """Every schedule of ``user`` (no pagination; default schedule first)."""
    store = context(request).store
    user = store.uri("users", check_user(store, required(request, "user")))
    schedules = [s for s in store.schedules.values() if s.user == user]
    schedules.sort(key=lambda s: not s.default)
    return collection(schedules)


@routes.get("/user_availability_schedules/{uuid}")
async def get_schedule(request: web.Request) -> web.Response:
    """One availability schedule."""
    schedule = lookup(context(request).store.schedules, request.match_info["uuid"])
    return resource(schedule)


@routes.get("/user_busy_times")
async def list_busy_times(request: web.Request) -> web.Response:
    """Busy periods of ``user``, ascending; the range is at most 7 days from a future start."""
    ctx = context(request)
    user_uuid = check_user(ctx.store, required(request, "user"))
    start, end = time_range(request)
    check_range(start, end, BUSY_TIMES_MAX_DAYS, now=ctx.now())
    return collection(busy_times(ctx.store, user_uuid, start, end))
