"""The one place that does HTTP: auth header, timeouts, retries, rate-limit waits,
error mapping and redacted logging. Everything else in the package is I/O-free.

The request path is a chain of named steps::

    request()            retry loop (tenacity) around
      _send_authorized() bearer token, one refresh-and-resend after a 401, error mapping
        _send_once()     rate-limit gate (``_gate``; base_url's host only) around
          _round_trip()  one aiohttp round trip, exception translation
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import logging
import re
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, Protocol, cast

import aiohttp
import msgspec
from multidict import CIMultiDict
from tenacity import (
    AsyncRetrying,
    DoAttempt,
    DoSleep,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
)

from . import _redact
from ._gate import RateLimitGate, RateLimitWait, Slot
from ._json import MALFORMED_JSON
from ._params import QueryValue, query
from ._ratelimit import (
    RateLimit,
    header_value,
    parse_rate_limit,
    retry_after_seconds,
    server_wait_detail,
)
from ._retry import RetryPolicy, retry_delay, should_retry
from ._urls import check_proxy_url, join_url, same_origin
from ._version import VERSION
from .errors import (
    CalendlyError,
    ClientClosedError,
    ConnectError,
    ConnectTimeout,
    DecodeError,
    InvalidInputError,
    NetworkError,
    RateLimitError,
    ReadTimeout,
    TransportError,
    error_from_response,
)

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "Auth",
    "FileSpec",
    "Response",
    "ResponseType",
    "Transport",
    "check_headers",
    "check_method",
    "current_response",
]

logger = logging.getLogger("calendly_async")

ResponseType = Literal["json", "text", "bytes"]
FileSpec = bytes | str | tuple[str, bytes | str] | tuple[str, bytes | str, str]
"""A file for a multipart upload: content, ``(filename, content)`` or
``(filename, content, content_type)``."""

_USER_AGENT = f"calendly-async/{VERSION}"
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""Largest response body read by default (64 MiB); a larger one is a ``DecodeError``."""
_READ_CHUNK = 64 * 1024
# RFC 9110 §9.1: a method is a token (tchar = "!" / "#" / ... / DIGIT / ALPHA).
_METHOD = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_json_encoder = msgspec.json.Encoder()


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP response as received (the raw material of every call)."""

    method: str
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes = field(repr=False)

    @property
    def request_id(self) -> str | None:
        """The ``X-Request-Id`` header, to quote to Calendly support."""
        return header_value(self.headers, "X-Request-Id")

    @property
    def rate_limit(self) -> RateLimit | None:
        """The ``X-RateLimit-*`` headers of this response."""
        return parse_rate_limit(self.headers)

    def json(self) -> Any:
        """The body decoded as JSON (``None`` for an empty body)."""
        if not self.body.strip():
            return None
        try:
            return msgspec.json.decode(self.body)
        except MALFORMED_JSON as exc:
            raise DecodeError(
                f"response from {self.method} {self.url} is not JSON; "
                "use response_type='text' or 'bytes'",
                url=self.url,
            ) from exc

    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8", errors="replace")


_current_response: contextvars.ContextVar[Response | None] = contextvars.ContextVar(
    "calendly_async_current_response", default=None
)


def current_response() -> Response | None:
    """The last response received by the current asyncio task (or ``None``)."""
    return _current_response.get()


class Auth(Protocol):
    """What the transport needs from a credential."""

    async def access_token(self) -> str:
        """A bearer token valid now (refreshing it first if needed)."""
        ...

    async def on_unauthorized(self, rejected_token: str) -> bool:
        """Called after a 401; ``True`` when a new token is ready to resend with."""
        ...


def _translate(exc: BaseException, method: str, url: str) -> TransportError:
    """Map an aiohttp/asyncio failure to our tree. The only place that knows aiohttp's."""
    where = {"method": method, "url": url}
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return ConnectTimeout(f"timed out connecting to {url}", **where)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return ConnectError(f"could not connect to {url}: {exc.os_error}", **where)
    if isinstance(exc, TimeoutError):
        return ReadTimeout(f"{method} {url} timed out waiting for the response", **where)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return NetworkError(f"the server closed the connection during {method} {url}", **where)
    return NetworkError(f"{method} {url} failed: {type(exc).__name__}: {exc}", **where)


def _timeout(value: float | aiohttp.ClientTimeout | None) -> aiohttp.ClientTimeout | None:
    if value is None or isinstance(value, aiohttp.ClientTimeout):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidInputError(f"timeout must be a positive number of seconds, not {value!r}")
    return aiohttp.ClientTimeout(total=value, sock_connect=min(value, 10.0))


def _file_part(form: aiohttp.FormData, name: str, spec: FileSpec) -> None:
    if isinstance(spec, tuple):
        filename, content = spec[0], spec[1]
        content_type = spec[2] if len(spec) == 3 else "application/octet-stream"
    else:
        filename, content, content_type = name, spec, "application/octet-stream"
    form.add_field(name, content, filename=filename, content_type=content_type)


@dataclass(frozen=True, slots=True)
class _Body:
    """A request body description; ``build`` makes a fresh payload per attempt.

    JSON is encoded once, up front (``make``), so an unencodable value is an
    ``InvalidInputError`` before anything is sent.
    """

    json: Any = None
    json_bytes: bytes | None = None
    data: Mapping[str, Any] | str | bytes | None = None
    files: Mapping[str, FileSpec] | None = None

    @classmethod
    def make(
        cls,
        json: Any = None,
        data: Mapping[str, Any] | str | bytes | None = None,
        files: Mapping[str, FileSpec] | None = None,
    ) -> _Body:
        if files and data is not None and not isinstance(data, Mapping):
            raise InvalidInputError("with files=, data= must be a mapping of form fields")
        if json is None:
            return cls(data=data, files=files)
        try:
            encoded = _json_encoder.encode(json)
        except (TypeError, ValueError, msgspec.EncodeError) as exc:
            raise InvalidInputError(f"json= body cannot be encoded as JSON: {exc}") from None
        return cls(json=json, json_bytes=encoded, data=data, files=files)

    def build(self) -> tuple[Any, dict[str, str]]:
        if self.files:
            form = aiohttp.FormData()
            for key, value in (self.data or {}).items() if isinstance(self.data, Mapping) else ():
                form.add_field(key, str(value))
            for name, spec in self.files.items():
                _file_part(form, name, spec)
            return form, {}
        if self.json_bytes is not None:
            return self.json_bytes, {"Content-Type": "application/json"}
        if isinstance(self.data, Mapping):
            return {k: str(v) for k, v in self.data.items()}, {}
        return self.data, {}

    def for_log(self) -> Any:
        if self.json_bytes is not None:
            return _redact.redact_fields(msgspec.to_builtins(self.json))
        if isinstance(self.data, Mapping):
            return _redact.redact_fields(dict(self.data))
        if self.files:
            return {"files": sorted(self.files)}
        return None if self.data is None else f"<{len(self.data)} bytes>"


def check_headers(headers: object, what: str = "headers") -> dict[str, str]:
    """``headers`` as a dict of str to str, refused (``InvalidInputError``) otherwise.

    Checked before anything is sent. A value may be a credential, so it is never
    quoted.
    """
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise InvalidInputError(f"{what} must be a mapping of header names to strings")
    for name, value in headers.items():
        if not isinstance(name, str) or not name:
            raise InvalidInputError(f"{what} names must be non-empty strings, not {name!r}")
        if not isinstance(value, str):
            raise InvalidInputError(
                f"header {name!r} must be a string, not {type(value).__name__}"
            )
    _check_header_values(headers)
    return dict(headers)


def check_method(method: object) -> str:
    """An HTTP method (an RFC 9110 token, so no CR, LF or space), upper-cased."""
    if not isinstance(method, str) or not _METHOD.match(method):
        shown = method if isinstance(method, str) else type(method).__name__
        raise InvalidInputError(f"method must be an HTTP method name like 'GET', not {shown!r}")
    return method.upper()


async def _read_body(raw: aiohttp.ClientResponse, limit: int, method: str, url: str) -> bytes:
    """The body, refused (``DecodeError``) as soon as it is known to exceed ``limit`` bytes.

    ``Content-Length`` is checked before reading; a chunked (or lying) body is
    read with a running count and abandoned, connection closed, at the limit.
    """
    declared = raw.content_length if method != "HEAD" else None
    if declared is not None and declared > limit:
        raw.close()
        raise _too_large(f"{declared} bytes (Content-Length)", limit, method, url)
    chunks: list[bytes] = []
    size = 0
    async for chunk in raw.content.iter_chunked(_READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raw.close()
            raise _too_large(f"more than {limit} bytes", limit, method, url)
        chunks.append(chunk)
    return b"".join(chunks)


def _inflated_too_large(exc: BaseException) -> bool:
    """Whether aiohttp gave up inflating a compressed body past its own limit.

    aiohttp 3.13 and later stop decompressing at 32 MiB per read and raise
    ``ClientPayloadError`` caused by ``DecompressSizeError``: an oversized body
    like any other (``DecodeError``, not retried), not a dropped connection.
    Older releases have no such limit; there the running count in ``_read_body``
    refuses the inflated body.
    """
    size_error = getattr(aiohttp.http_exceptions, "DecompressSizeError", None)
    return (
        isinstance(exc, aiohttp.ClientPayloadError)
        and size_error is not None
        and isinstance(exc.__cause__, size_error)
    )


def _too_large(size: str, limit: int, method: str, url: str) -> DecodeError:
    return DecodeError(
        f"the response to {method} {url} is {size}, over max_response_bytes ({limit}); "
        "not read further",
        url=url,
    )


def _check_header_values(headers: Mapping[str, str]) -> None:
    """Refuse CR, LF or NUL in a header value (header injection), naming only the header.

    aiohttp would raise a bare ``ValueError``; the value may be a credential, so
    it is never quoted.
    """
    for name, value in headers.items():
        if any(char in value for char in "\r\n\x00"):
            raise InvalidInputError(f"header {name!r} contains a line break or NUL character")


def _disable_hidden_retry(session: aiohttp.ClientSession) -> None:
    """Stop aiohttp resending a dropped GET/PUT/DELETE once on its own.

    aiohttp's ``ClientSession`` silently repeats an idempotent request whose
    connection dropped (private ``_retry_connection``, no public switch);
    ``RetryPolicy`` must be the only thing deciding how often a request is sent
    (``max_retries=0`` means one attempt). Only done for sessions the transport
    creates; a caller's session keeps its own behaviour.
    """
    if "_retry_connection" in getattr(aiohttp.ClientSession, "ATTRS", ()):
        session._retry_connection = False


_ExcInfo = tuple[type[BaseException], BaseException, TracebackType]
"""A caught exception as ``sys.exc_info()`` gives it (what tenacity records)."""


class Transport:
    """Sends requests to one API host with auth, retries and rate-limit waits.

    Parameters
    ----------
    base_url:
        Host (and optional path prefix) that relative paths are joined to, and the
        only origin the bearer token is sent to.
    auth:
        The credential, or ``None`` (the OAuth host is called without one).
    timeout:
        Default timeout in seconds (or an ``aiohttp.ClientTimeout``).
    retry:
        Default ``RetryPolicy``.
    session:
        An ``aiohttp.ClientSession`` to use; it is then not closed by ``aclose``.
    max_connections:
        Connection-pool size when the transport creates its own session.
    headers:
        Extra headers sent with every request.
    max_response_bytes:
        Largest response body read; a larger one raises ``DecodeError``.
    sleep, clock:
        Injectable for tests: ``asyncio.sleep`` and ``time.monotonic`` stand-ins.
    proxy:
        An ``http://`` proxy URL every request of the transport's own session goes through.
    trust_env:
        Let the transport's own session read ``HTTP_PROXY``/``HTTPS_PROXY``/``NO_PROXY``
        (and ``~/.netrc``) as aiohttp does.
    """

    def __init__(
        self,
        *,
        base_url: str,
        auth: Auth | None = None,
        timeout: float | aiohttp.ClientTimeout | None = 30.0,
        retry: RetryPolicy | None = None,
        session: aiohttp.ClientSession | None = None,
        max_connections: int = 100,
        headers: Mapping[str, str] | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        proxy: str | None = None,
        trust_env: bool = False,
    ) -> None:
        if session is not None and (proxy is not None or trust_env):
            raise InvalidInputError(
                "proxy= and trust_env= configure the client's own session; "
                "set them on the session you pass instead"
            )
        if not isinstance(trust_env, bool):
            raise InvalidInputError(f"trust_env must be True or False, not {trust_env!r}")
        self.proxy = check_proxy_url(proxy) if proxy is not None else None
        self.trust_env = trust_env
        self.base_url = base_url
        self.max_response_bytes = max_response_bytes
        self.auth = auth
        self.timeout = _timeout(timeout)
        self.retry = retry or RetryPolicy()
        self.max_connections = max_connections
        self.gate = RateLimitGate(clock=clock, sleep=sleep)
        self.last_response: Response | None = None
        self._session = session
        self._owns_session = session is None
        self._shut = False
        self._parent: Transport | None = None
        self._sleep = sleep
        self._headers = {"User-Agent": _USER_AGENT, "Accept": "application/json"}
        self._headers.update(check_headers(headers))

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r}, auth={type(self.auth).__name__})"

    @property
    def session(self) -> aiohttp.ClientSession:
        """The aiohttp session, created on first use (a derived transport uses its parent's).

        Raises ``ClientClosedError`` once ``aclose`` ran (a closed transport never
        opens a new session) or when the caller's session was closed.
        """
        if self._parent is not None:
            return self._parent.session
        self.check_open()
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self.max_connections)
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=self.timeout,
                # An API client keeps no cookies: every request carries only its bearer token.
                cookie_jar=aiohttp.DummyCookieJar(),
                proxy=self.proxy,
                trust_env=self.trust_env,
            )
            _disable_hidden_retry(self._session)
            self._owns_session = True
        return self._session

    @property
    def closed(self) -> bool:
        """Whether ``aclose`` ran (or the session was never opened)."""
        if self._parent is not None:
            return self._parent.closed
        return self._session is None or self._session.closed

    @property
    def shut(self) -> bool:
        """Whether ``shut_down`` or ``aclose`` ran: later requests raise ``ClientClosedError``."""
        return (self._parent or self)._shut

    def check_open(self) -> None:
        """Raise ``ClientClosedError`` when no request may be sent any more."""
        root = self._parent or self
        if root._shut:
            raise ClientClosedError(
                "the client is closed (aclose() ran or its 'async with' block ended); "
                "create a new Calendly client"
            )
        if root._session is not None and root._session.closed:
            whose = "the client's" if root._owns_session else "the session= given to the client"
            raise ClientClosedError(f"{whose} aiohttp session is closed")

    def shut_down(self) -> None:
        """Refuse every later request, without closing the session yet (see ``aclose``)."""
        if self._parent is None:
            self._shut = True

    def derive(
        self,
        *,
        retry: RetryPolicy | None = None,
        timeout: float | aiohttp.ClientTimeout | None = None,
    ) -> Transport:
        """A transport with other defaults sharing this one's session, auth and rate-limit gate."""
        derived = copy.copy(self)
        derived._parent = self._parent or self
        derived._owns_session = False
        derived._session = None
        if retry is not None:
            derived.retry = retry
        if timeout is not None:
            derived.timeout = _timeout(timeout)
        return derived

    async def aclose(self) -> None:
        """Refuse every later request and close the session if this transport created it.

        A derived transport shares its parent's state: closing it does nothing.
        """
        self.shut_down()
        if self._session is not None and self._owns_session and not self._session.closed:
            await self._session.close()

    def url_for(self, path_or_url: str) -> str:
        """The absolute URL of a path relative to ``base_url`` (a full URL stays)."""
        return join_url(self.base_url, path_or_url)

    async def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Mapping[str, QueryValue] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | str | bytes | None = None,
        files: Mapping[str, FileSpec] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | aiohttp.ClientTimeout | None = None,
        retry: RetryPolicy | None = None,
        authenticate: bool = True,
        debug: bool = False,
    ) -> Response:
        """Send a request, retrying per policy; return the response or raise.

        Raises an ``APIError`` subclass for a status of 400 or more,
        ``RedirectError`` for a 3xx (never followed), ``DecodeError`` for a body
        over ``max_response_bytes``, a ``TransportError`` subclass when no
        response arrives, and ``InvalidInputError`` for an ill-typed method,
        path or header before anything is sent.
        """
        method = check_method(method)
        if not isinstance(path_or_url, str) or not path_or_url.strip():
            raise InvalidInputError(f"path_or_url must be a non-empty string, not {path_or_url!r}")
        url = self.url_for(path_or_url)
        policy = retry or self.retry
        call = _Call(
            method=method,
            url=url,
            params=query(params or {}),
            body=_Body.make(json=json, data=data, files=files),
            headers=check_headers(headers),
            timeout=_timeout(timeout),
            authenticate=authenticate and self.auth is not None and same_origin(url, self.base_url),
            log_level=logging.INFO if debug else logging.DEBUG,
            max_rate_limit_wait=policy.max_rate_limit_wait,
        )

        # The first attempt runs without tenacity: most requests succeed at once, and
        # building an ``AsyncRetrying`` (its action list re-checks every callback with
        # ``inspect``) cost about as much as the rest of the SDK's per-request work.
        try:
            return await self._send_authorized(call)
        except BaseException as error:
            if policy.max_retries == 0 or not should_retry(method, error, policy):
                raise
            first_failure = cast(_ExcInfo, sys.exc_info())
        return await self._retry_after(call, policy, first_failure)

    async def _retry_after(
        self, call: _Call, policy: RetryPolicy, first_failure: _ExcInfo
    ) -> Response:
        """Retries of ``call`` under ``policy`` once its first attempt failed (tenacity).

        Drives tenacity's ``AsyncRetrying`` with its lower-level API (``iter``), as
        its own ``__call__`` does, starting from the first attempt's outcome, so the
        attempt numbers, waits, stop rule and ``before_sleep`` hook are tenacity's.
        """
        method, url = call.method, call.url

        def wait(state: RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            return retry_delay(state.attempt_number, error or Exception(), policy)

        def log_retry(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            delay = state.next_action.sleep if state.next_action else 0.0
            logger.info("retrying %s %s in %.2fs after %s", method, url, delay, error)
            self.gate.count_retry()
            if isinstance(error, RateLimitError):
                self._report_429_wait(call, error, delay)

        retrying = AsyncRetrying(
            stop=stop_after_attempt(policy.max_retries + 1),
            retry=retry_if_exception(lambda error: should_retry(method, error, policy)),
            wait=wait,
            sleep=self._sleep,
            before_sleep=log_retry,
            reraise=True,
        )
        retrying.begin()
        state = RetryCallState(retrying, fn=None, args=(), kwargs={})
        state.set_exception(first_failure)
        while True:
            action = await retrying.iter(retry_state=state)
            if isinstance(action, DoAttempt):
                try:
                    response = await self._send_authorized(call)
                except BaseException:
                    state.set_exception(cast(_ExcInfo, sys.exc_info()))
                else:
                    state.set_result(response)
            elif isinstance(action, DoSleep):
                state.prepare_for_next_attempt()
                await self._sleep(float(action))
            else:
                return cast(Response, action)

    async def _send_authorized(self, call: _Call) -> Response:
        # Checked on every attempt, before the credential may start an OAuth refresh.
        self.check_open()
        token = await self.auth.access_token() if call.authenticate and self.auth else None
        response = await self._send_once(call, token)
        if (
            response.status == 401
            and token is not None
            and self.auth is not None
            and not self.shut  # closing: no new refresh may start
            and await self.auth.on_unauthorized(token)
        ):
            token = await self.auth.access_token()
            response = await self._send_once(call, token)
        # A 3xx is never followed (allow_redirects=False keeps the token on
        # base_url) and never returned as if it were the answer: RedirectError.
        if response.status >= 300:
            raise self._error(response, token)
        return response

    @staticmethod
    def _error(response: Response, token: str | None = None) -> CalendlyError:
        return error_from_response(
            response.status,
            response.headers,
            response.body,
            method=response.method,
            url=response.url,
            secret=token,
        )

    def _report_429_wait(self, call: _Call, error: RateLimitError, delay: float) -> None:
        wait = RateLimitWait(
            seconds=delay,
            reason="too_many_requests",
            detail=server_wait_detail(error.headers),
            method=call.method,
            url=call.url,
        )
        self.gate.report(wait)

    def _wait_too_long(self, call: _Call) -> RateLimitError | None:
        """The error to raise instead of sleeping past ``max_rate_limit_wait``."""
        delay = self.gate.delay()
        if delay <= call.max_rate_limit_wait:
            return None
        return RateLimitError(
            retry_after=delay,
            status=429,
            title="Too Many Requests",
            message=(
                f"the rate-limit budget is spent for another {delay:.0f}s, longer than "
                f"RetryPolicy.max_rate_limit_wait ({call.max_rate_limit_wait:.0f}s); "
                "the request was not sent"
            ),
            method=call.method,
            url=call.url,
        )

    async def _send_once(self, call: _Call, token: str | None) -> Response:
        """Wait for the rate-limit gate, then one round trip; the answer feeds the gate.

        Only requests to ``base_url``'s origin pass the gate: another host's
        budget is not Calendly's (a full URL elsewhere neither waits nor counts).
        """
        if not same_origin(call.url, self.base_url):
            return await self._round_trip(call, token)
        too_long = self._wait_too_long(call)
        if too_long is not None:
            raise too_long
        slot = await self.gate.acquire()
        try:
            response = await self._round_trip(call, token)
        except (InvalidInputError, ConnectError):
            self.gate.release(slot, sent=False)  # never reached the server
            raise
        except BaseException:
            self.gate.release(slot)  # may have been counted: the token stays spent
            raise
        self._release(slot, response)
        return response

    def _release(self, slot: Slot, response: Response) -> None:
        # Calendly §4: a 429 means wait Retry-After (if sent) or X-RateLimit-Reset
        # seconds; every answer says how much of the window's budget is left.
        limited = response.status == 429
        self.gate.release(
            slot,
            response.rate_limit,
            status=response.status,
            retry_after=retry_after_seconds(response.headers) if limited else None,
            detail=server_wait_detail(response.headers) if limited else "",
        )

    async def _round_trip(self, call: _Call, token: str | None) -> Response:
        headers = {**self._headers, **call.headers}
        if token is not None and not any(k.lower() == "authorization" for k in headers):
            headers["Authorization"] = f"Bearer {token}"
        payload, body_headers = call.body.build()
        headers.update(body_headers)
        _check_header_values(headers)
        self._log_request(call, headers)
        self.gate.count_sent()
        try:
            async with self.session.request(
                call.method,
                call.url,
                params=call.params or None,
                data=payload,
                headers=headers,
                timeout=call.timeout or self.timeout or aiohttp.ClientTimeout(),
                allow_redirects=False,
            ) as raw:
                body = await _read_body(raw, self.max_response_bytes, call.method, call.url)
                # A copy: aiohttp's read-only proxy cannot be pickled (errors keep headers).
                received = CIMultiDict(raw.headers)
                response = Response(call.method, call.url, raw.status, received, body)
        except aiohttp.InvalidURL as exc:
            raise InvalidInputError(f"{call.url!r} is not a valid URL") from exc
        except (TimeoutError, aiohttp.ClientError) as exc:
            logger.log(call.log_level, "%s %s failed: %s", call.method, call.url, type(exc))
            if _inflated_too_large(exc):
                raise DecodeError(
                    f"the response to {call.method} {call.url} inflates past aiohttp's "
                    "decompression limit (a compressed body too large to read); not read further",
                    url=call.url,
                ) from exc
            raise _translate(exc, call.method, call.url) from exc
        self._record(call, response)
        return response

    def _record(self, call: _Call, response: Response) -> None:
        self.last_response = response
        _current_response.set(response)
        self.gate.count_answer(response.status)
        if not logger.isEnabledFor(call.log_level):
            return
        logger.log(
            call.log_level,
            "%s %s -> %d (%d bytes, request id %s, rate limit %s)",
            call.method,
            call.url,
            response.status,
            len(response.body),
            response.request_id,
            response.rate_limit,
        )

    def _log_request(self, call: _Call, headers: Mapping[str, str]) -> None:
        if not logger.isEnabledFor(call.log_level):
            return
        logger.log(
            call.log_level,
            "%s %s params=%s headers=%s body=%s",
            call.method,
            call.url,
            _redact.redact_fields(call.params),
            _redact.redact_headers(headers),
            call.body.for_log(),
        )


@dataclass(frozen=True, slots=True)
class _Call:
    """Everything needed to (re)send one request."""

    method: str
    url: str
    params: dict[str, str]
    body: _Body
    headers: dict[str, str]
    timeout: aiohttp.ClientTimeout | None
    authenticate: bool
    log_level: int
    max_rate_limit_wait: float
