"""Everything a request handler needs, kept on the aiohttp application."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiohttp import web

from ._deliveries import Deliverer
from ._faults import Faults
from ._oauth_tokens import TokenRegistry
from ._paging import PageCache
from ._ratelimit import RateLimiter
from ._store import Store

__all__ = ["CTX", "MockContext", "context"]


@dataclass
class MockContext:
    """The mock's live state and settings (one per ``MockCalendly``)."""

    store: Store
    tokens: TokenRegistry
    deliverer: Deliverer
    faults: Faults
    route_faults: dict[str, Faults]
    limiter: RateLimiter
    clock: Callable[[], float]
    sleep: Callable[[float], Awaitable[None]]
    fault_rng: random.Random
    cache: PageCache = field(default_factory=PageCache)
    serial: int = 0

    def now(self) -> datetime:
        """The current time per the mock's clock (aware UTC)."""
        return datetime.fromtimestamp(self.clock(), UTC)

    def next_request_id(self) -> str:
        """A fresh ``X-Request-Id``."""
        self.serial += 1
        return f"mock-{self.serial:08d}"


CTX = web.AppKey("calendly_mock", MockContext)


def context(request: web.Request) -> MockContext:
    """The ``MockContext`` of the application serving ``request``."""
    return request.app[CTX]
