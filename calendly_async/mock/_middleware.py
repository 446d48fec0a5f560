"""Request middlewares: Calendly error bodies and headers, bearer auth, the rate limit.

Order (outermost first): faults (``_faults``), ``envelope_middleware``,
``auth_middleware``, then the route handler.

Calendly rules: every API call needs ``Authorization: Bearer <token>`` (401
``Unauthenticated`` otherwise, reference §3); every response carries the
``X-RateLimit-*`` headers and a request beyond the budget gets 429 (reference §4).
The OAuth endpoints take client credentials instead and spend no API budget.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from ._context import context
from ._http import ApiError, error_response, not_found, unauthenticated

__all__ = ["auth_middleware", "envelope_middleware", "is_oauth_path"]

logger = logging.getLogger("calendly_async.mock")


def is_oauth_path(path: str) -> bool:
    """Whether ``path`` is one of the OAuth endpoints (no bearer token needed)."""
    return path.startswith("/oauth/")


def _http_error(exc: web.HTTPException) -> web.Response:
    if exc.status == 404:
        return not_found().response()
    if exc.status == 405:
        return error_response(405, "Method Not Allowed", "The method is not allowed here.")
    return error_response(exc.status, exc.reason, exc.text or exc.reason)


def _stamp(request: web.Request, response: web.StreamResponse) -> None:
    """Add ``X-Request-Id`` and the ``X-RateLimit-*`` headers (kept when already set)."""
    if response.prepared:
        return
    ctx = context(request)
    response.headers["X-Request-Id"] = ctx.next_request_id()
    for name, value in ctx.limiter.headers().items():
        response.headers.setdefault(name, value)


@web.middleware
async def envelope_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Render ``ApiError``/HTTP errors as Calendly bodies; add request id and rate headers.

    Redirects (``/oauth/authorize``) get the headers too, and a handler that fails
    unexpectedly answers Calendly's 500 body (logged) rather than aiohttp's text.
    """
    try:
        response = await handler(request)
    except ApiError as exc:
        response = exc.response()
    except web.HTTPException as exc:
        if exc.status < 400:
            _stamp(request, exc)
            raise
        response = _http_error(exc)
    except Exception:
        logger.exception("mock handler failed: %s %s", request.method, request.path)
        response = error_response(
            500, "Internal Server Error", "The server encountered an unexpected condition."
        )
    _stamp(request, response)
    return response


def _bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Require a valid bearer token on API paths and spend one request of the budget."""
    if is_oauth_path(request.path):
        return await handler(request)
    ctx = context(request)
    token = _bearer(request)
    if token is None or not ctx.tokens.is_valid(token):
        raise unauthenticated()
    if not ctx.limiter.take():
        response = error_response(
            429, "Too Many Requests", "You have exceeded the rate limit. Please try again later."
        )
        response.headers.update(ctx.limiter.headers(exhausted=True))
        return response
    return await handler(request)
