"""Fault injection: latency, server errors, dropped connections, truncated bodies,
429 storms and stale page tokens, per server and per route, from a seeded RNG.

Route faults (``mock.route_faults["GET /scheduled_events"]``) replace the server's
faults for that route; the key is the method and either the route pattern
(``GET /scheduled_events/{uuid}``) or the literal path.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from typing import Protocol

from aiohttp import web
from aiohttp.typedefs import Handler

from ..errors import InvalidInputError
from ._http import bad_request, error_response
from ._ratelimit import RateLimiter

__all__ = ["FAULT_HOST", "FaultHost", "Faults", "fault_middleware"]

SERVER_ERRORS = (500, 502, 503)
_ERROR_TITLES = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass
class Faults:
    """What can go wrong, per server (``mock.faults``) or per route (``mock.route_faults``).

    Attributes
    ----------
    latency_ms:
        Fixed delay added before answering.
    jitter_ms:
        Plus a uniform random delay of 0..``jitter_ms``.
    error_rate:
        Fraction of requests answered 500, 502 or 503 with Calendly's error body.
    drop_rate:
        Fraction whose connection is closed without a response.
    truncate_rate:
        Fraction whose body is cut short (``Content-Length`` larger than what is sent).
    rate_limit_storm:
        The next N requests get 429 with ``X-RateLimit-Remaining: 0``; counts down.
    stale_page_token_rate:
        Fraction of requests carrying ``page_token`` answered
        400 ``page_token is invalid``.
    """

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    truncate_rate: float = 0.0
    rate_limit_storm: int = 0
    stale_page_token_rate: float = 0.0

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise InvalidInputError(f"Faults.{spec.name} must be a number >= 0, not {value!r}")
            if spec.name.endswith("_rate") and value > 1:
                raise InvalidInputError(f"Faults.{spec.name} is a fraction (0..1), not {value!r}")


class FaultHost(Protocol):
    """What the fault layer reads from the mock's state (``MockContext`` is one).

    A protocol, so this module needs nothing from ``_context``, which holds the
    ``Faults``: the import goes one way only.
    """

    @property
    def faults(self) -> Faults:
        """The server's faults."""

    @property
    def route_faults(self) -> dict[str, Faults]:
        """Faults per route, replacing the server's (keys: see the module docstring)."""

    @property
    def fault_rng(self) -> random.Random:
        """The seeded RNG every fault draws from."""

    @property
    def limiter(self) -> RateLimiter:
        """The rate limiter whose headers fault answers carry."""

    @property
    def sleep(self) -> Callable[[float], Awaitable[None]]:
        """The injectable sleep used for latency."""

    def next_request_id(self) -> str:
        """A fresh ``X-Request-Id``."""


FAULT_HOST: web.AppKey[FaultHost] = web.AppKey("calendly_mock_faults")
"""Where the application keeps its ``FaultHost`` (the same object as its ``MockContext``)."""


def faults_for(ctx: FaultHost, request: web.Request) -> Faults:
    """The route's faults when set, else the server's."""
    if ctx.route_faults:
        resource = request.match_info.route.resource
        pattern = resource.canonical if resource is not None else request.path
        for key in (f"{request.method} {request.path}", f"{request.method} {pattern}"):
            if key in ctx.route_faults:
                return ctx.route_faults[key]
    return ctx.faults


def _drop(request: web.Request) -> web.Response:
    transport = request.transport
    if transport is not None:
        transport.close()
    return web.Response(status=500)


async def _truncate(request: web.Request, response: web.Response) -> web.StreamResponse:
    body = response.body if isinstance(response.body, bytes) else b""
    stream = web.StreamResponse(status=response.status, headers=response.headers)
    stream.content_length = len(body) + 64
    await stream.prepare(request)
    await stream.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.close()
    return stream


def _headed(ctx: FaultHost, response: web.Response, *, exhausted: bool = False) -> web.Response:
    response.headers.update(ctx.limiter.headers(exhausted=exhausted))
    response.headers["X-Request-Id"] = ctx.next_request_id()
    return response


def _storm(ctx: FaultHost, faults: Faults) -> web.Response:
    faults.rate_limit_storm -= 1
    response = error_response(429, "Too Many Requests", "You have exceeded the rate limit.")
    return _headed(ctx, response, exhausted=True)


def _server_error(ctx: FaultHost) -> web.Response:
    status = SERVER_ERRORS[ctx.fault_rng.randrange(len(SERVER_ERRORS))]
    message = "The server encountered an unexpected condition (injected fault)."
    return _headed(ctx, error_response(status, _ERROR_TITLES[status], message))


@web.middleware
async def fault_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply the request's ``Faults`` around the real handling (outermost middleware)."""
    ctx = request.app[FAULT_HOST]
    faults = faults_for(ctx, request)
    rng = ctx.fault_rng
    delay = faults.latency_ms + (rng.uniform(0, faults.jitter_ms) if faults.jitter_ms else 0.0)
    if delay > 0:
        await ctx.sleep(delay / 1000)
    if faults.drop_rate and rng.random() < faults.drop_rate:
        return _drop(request)
    if faults.rate_limit_storm > 0:
        return _storm(ctx, faults)
    if faults.error_rate and rng.random() < faults.error_rate:
        return _server_error(ctx)
    if (
        faults.stale_page_token_rate
        and "page_token" in request.query
        and rng.random() < faults.stale_page_token_rate
    ):
        return _headed(ctx, bad_request("page_token", "page_token is invalid").response())
    truncate = bool(faults.truncate_rate) and rng.random() < faults.truncate_rate
    response = await handler(request)
    if truncate and isinstance(response, web.Response):
        return await _truncate(request, response)
    return response
