"""calendly_async: an asyncio-native, typed client for the Calendly API v2.

::

    from calendly_async import Calendly

    async with Calendly(token="...") as client:
        me = await client.users.me()
        async for event in client.scheduled_events.list(user=me.uri):
            print(event.start_time, event.name)
"""

from ._params import TimeArg
from ._ratelimit import RateLimit
from ._retry import RetryPolicy
from ._transport import Response
from .auth import AccessToken, OAuth2, Token, TokenIntrospection
from .client import DEFAULT_BASE_URL, Calendly
from .errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    CalendlyError,
    ConflictError,
    ConnectError,
    ConnectTimeout,
    DecodeError,
    ErrorDetail,
    ExternalCalendarError,
    InsufficientScopeError,
    InvalidGrantError,
    InvalidInputError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ReadTimeout,
    ServerError,
    TokenPersistenceError,
    TransportError,
)
from .models import Model, User
from .pagination import Page, Paginator

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_BASE_URL",
    "APIError",
    "AccessToken",
    "AuthenticationError",
    "BadRequestError",
    "Calendly",
    "CalendlyError",
    "ConflictError",
    "ConnectError",
    "ConnectTimeout",
    "DecodeError",
    "ErrorDetail",
    "ExternalCalendarError",
    "InsufficientScopeError",
    "InvalidGrantError",
    "InvalidInputError",
    "Model",
    "NetworkError",
    "NotFoundError",
    "OAuth2",
    "Page",
    "Paginator",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "ReadTimeout",
    "Response",
    "RetryPolicy",
    "ServerError",
    "TimeArg",
    "Token",
    "TokenIntrospection",
    "TokenPersistenceError",
    "TransportError",
    "User",
    "__version__",
]
