"""The aiohttp application: middlewares in order and every route table."""

from __future__ import annotations

from aiohttp import web

from . import _oauth
from ._context import CTX, MockContext
from ._faults import FAULT_HOST, fault_middleware
from ._middleware import auth_middleware, envelope_middleware
from ._oauth import CLIENT_KEY, OAuthClient
from .routes import TABLES

__all__ = ["build_app"]

_TABLES = (*TABLES, _oauth.routes)


def build_app(ctx: MockContext, client: OAuthClient) -> web.Application:
    """The mock's application (faults outermost, then error bodies, then auth)."""
    app = web.Application(middlewares=[fault_middleware, envelope_middleware, auth_middleware])
    app[CTX] = ctx
    app[FAULT_HOST] = ctx
    app[CLIENT_KEY] = client
    for table in _TABLES:
        app.router.add_routes(table)
    return app
