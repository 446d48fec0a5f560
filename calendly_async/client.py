"""``Calendly``: the client. Owns one aiohttp session and the resource namespaces."""

from __future__ import annotations

import asyncio
import copy
import inspect
import os
import time
import warnings
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any

import aiohttp

from ._gate import RateLimitWait, RequestStats
from ._params import QueryValue
from ._ratelimit import RateLimit
from ._retry import RetryPolicy
from ._transport import (
    DEFAULT_MAX_RESPONSE_BYTES,
    FileSpec,
    Response,
    ResponseType,
    Transport,
    current_response,
)
from ._urls import check_base_url
from .auth import AccessToken, OAuth2
from .errors import InvalidInputError
from .resources._inputs import check_int
from .resources.activity_log import ActivityLog
from .resources.availability import AvailabilitySchedules, BusyTimes
from .resources.contact_lists import ContactLists
from .resources.contacts import ContactCustomFields, Contacts
from .resources.data_compliance import DataCompliance
from .resources.event_types import EventTypes
from .resources.groups import GroupRelationships, Groups
from .resources.locations import Locations
from .resources.meeting_recaps import MeetingRecaps
from .resources.no_shows import InviteeNoShows
from .resources.notes import Notes
from .resources.organizations import (
    OrganizationInvitations,
    OrganizationMemberships,
    Organizations,
)
from .resources.outgoing_communications import OutgoingCommunications
from .resources.routing_forms import RoutingForms, RoutingFormSubmissions
from .resources.scheduled_events import Invitees, ScheduledEvents
from .resources.scheduling import SchedulingLinks, Shares
from .resources.teams import Teams
from .resources.users import Users
from .resources.webhooks import Webhooks

__all__ = ["DEFAULT_BASE_URL", "Calendly"]

DEFAULT_BASE_URL = "https://api.calendly.com"
TOKEN_ENV = "CALENDLY_TOKEN"
"""Read for the token when ``Calendly()`` gets neither ``token`` nor ``oauth``."""
BASE_URL_ENV = "CALENDLY_BASE_URL"
"""Read for the API host when ``Calendly()`` gets no ``base_url``."""


def _rate_limit_callback(
    callback: Callable[[RateLimitWait], None] | None,
) -> Callable[[RateLimitWait], None] | None:
    """``on_rate_limit`` checked: a plain callable (an ``async def`` would never run)."""
    if callback is None:
        return None
    if not callable(callback) or inspect.iscoroutinefunction(callback):
        raise InvalidInputError(
            "on_rate_limit must be a plain function taking a RateLimitWait (not async)"
        )
    return callback


class Calendly:
    """Async client for the Calendly API v2.

    Use it as an async context manager so its connection pool is closed::

        async with Calendly(token="...") as client:
            me = await client.users.me()

    Parameters
    ----------
    token:
        A personal access token or OAuth access token. Give this or ``oauth``;
        with neither, ``$CALENDLY_TOKEN`` is used.
    oauth:
        An ``OAuth2`` holding a refreshable token.
    base_url:
        The API host (default: ``$CALENDLY_BASE_URL``, else ``https://api.calendly.com``);
        the bearer token is only ever sent there. Plain ``http://`` is refused
        except on loopback (the embedded mock server).
    timeout:
        Seconds before a request times out (or an ``aiohttp.ClientTimeout``).
    retry:
        The default ``RetryPolicy`` (3 retries, exponential backoff with jitter).
    max_connections:
        Size of the connection pool.
    session:
        Use this ``aiohttp.ClientSession`` instead of creating one (it is not closed).
    headers:
        Extra headers sent with every request (names and values are strings).
    max_response_bytes:
        Largest response body read (default 64 MiB); a larger one raises
        ``DecodeError`` without being read to the end.
    sleep, clock:
        For tests: stand-ins for ``asyncio.sleep`` and ``time.monotonic`` used by
        retry backoff and rate-limit waits.
    on_rate_limit:
        Called with a ``RateLimitWait`` before every rate-limit wait longer than
        a second (the queue stalled until the window resets, or a request sleeps
        before retrying a 429), e.g. to show it in a progress display. A plain
        function, called in the event loop: it must not block (exceptions are
        logged and ignored). The same waits are logged at INFO.
    proxy:
        Send every request through this ``http://`` proxy (``user:password@``
        allowed; never logged).
    trust_env:
        Honour ``HTTP_PROXY``, ``HTTPS_PROXY``, ``NO_PROXY`` (and ``~/.netrc``)
        the way aiohttp does. Off by default, as in aiohttp.
    """

    _is_view = False

    def __init__(
        self,
        token: str | None = None,
        *,
        oauth: OAuth2 | None = None,
        base_url: str | None = None,
        timeout: float | aiohttp.ClientTimeout | None = 30.0,
        retry: RetryPolicy | None = None,
        max_connections: int = 100,
        session: aiohttp.ClientSession | None = None,
        headers: Mapping[str, str] | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        on_rate_limit: Callable[[RateLimitWait], None] | None = None,
        proxy: str | None = None,
        trust_env: bool = False,
    ) -> None:
        if token is None and oauth is None:
            token = os.environ.get(TOKEN_ENV) or None
            if token is None:
                raise InvalidInputError(
                    f"no credentials: pass token=..., oauth=OAuth2(...), or set {TOKEN_ENV}"
                )
        if token is not None and oauth is not None:
            raise InvalidInputError("pass exactly one of token=... or oauth=OAuth2(...)")
        if base_url is None:
            base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        _check_options(token, oauth, retry, session, sleep, clock)
        check_int(max_connections, "max_connections")
        check_int(max_response_bytes, "max_response_bytes")
        self.oauth = oauth
        self._transport = Transport(
            base_url=check_base_url(base_url),
            auth=oauth if oauth is not None else AccessToken(token or ""),
            timeout=timeout,
            retry=retry,
            session=session,
            max_connections=max_connections,
            headers=headers,
            max_response_bytes=max_response_bytes,
            sleep=sleep,
            clock=clock,
            proxy=proxy,
            trust_env=trust_env,
        )
        self._transport.gate.on_wait = _rate_limit_callback(on_rate_limit)
        self._mount()

    def _mount(self) -> None:
        transport = self._transport
        self.users = Users(transport)
        self.organizations = Organizations(transport)
        self.organization_memberships = OrganizationMemberships(transport)
        self.organization_invitations = OrganizationInvitations(transport)
        self.event_types = EventTypes(transport)
        self.availability_schedules = AvailabilitySchedules(transport)
        self.busy_times = BusyTimes(transport)
        self.scheduled_events = ScheduledEvents(transport)
        self.invitees = Invitees(transport)
        self.routing_forms = RoutingForms(transport)
        self.routing_form_submissions = RoutingFormSubmissions(transport)
        self.webhooks = Webhooks(transport)
        self.scheduling_links = SchedulingLinks(transport)
        self.shares = Shares(transport)
        self.data_compliance = DataCompliance(transport)
        self.activity_log = ActivityLog(transport)
        self.groups = Groups(transport)
        self.group_relationships = GroupRelationships(transport)
        self.invitee_no_shows = InviteeNoShows(transport)
        self.locations = Locations(transport)
        self.outgoing_communications = OutgoingCommunications(transport)
        self.teams = Teams(transport)
        self.contacts = Contacts(transport)
        self.contact_custom_fields = ContactCustomFields(transport)
        self.contact_lists = ContactLists(transport)
        self.notes = Notes(transport)
        self.meeting_recaps = MeetingRecaps(transport)

    def __repr__(self) -> str:
        return f"Calendly(base_url={self.base_url!r}, auth={self._transport.auth!r})"

    def with_options(
        self,
        *,
        retry: RetryPolicy | None = None,
        timeout: float | aiohttp.ClientTimeout | None = None,
    ) -> Calendly:
        """A view of this client with other defaults, for one call or a group of calls.

        It shares the session, credentials and rate-limit state; closing it is not
        needed (the original client owns the session). Opt one typed POST into
        retries after a 5xx::

            unsafe = RetryPolicy(retry_unsafe=True)
            await client.with_options(retry=unsafe).webhooks.create(...)
        """
        view = copy.copy(self)
        view._is_view = True
        view._transport = self._transport.derive(retry=retry, timeout=timeout)
        view._mount()
        return view

    @property
    def base_url(self) -> str:
        """The API host requests go to."""
        return self._transport.base_url

    async def __aenter__(self) -> Calendly:
        # Raises ClientClosedError for a closed client: it is not reopened.
        session = self._transport.session
        if self.oauth is not None:
            self.oauth.attach_session(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client for good: later calls raise ``ClientClosedError``.

        An OAuth refresh already in flight is finished (and its token handed to
        ``on_token``) first, since Calendly has already rotated the refresh token;
        then the connection pool is closed (if the client created it). Closing a
        ``with_options()`` view does nothing: the view shares its client's state.
        """
        if self._is_view:
            return
        self._transport.shut_down()
        if self.oauth is not None:
            await self.oauth.aclose()
        await self._transport.aclose()

    def __del__(self) -> None:
        transport = getattr(self, "_transport", None)
        if transport is not None and transport._owns_session and not transport.closed:
            warnings.warn(
                "Calendly client was not closed; use 'async with Calendly(...)' or "
                "'await client.aclose()'",
                ResourceWarning,
                stacklevel=2,
            )

    @property
    def last_response(self) -> Response | None:
        """The last HTTP response received by the current asyncio task.

        Read the rate-limit headers and request id of a typed call right after it::

            me = await client.users.me()
            client.last_response.rate_limit.remaining
            client.last_response.request_id

        Task-local, so concurrent tasks never see each other's responses. After
        ``async for``, ``.pages()`` or ``.collect()`` it is the response of the last
        page handed to this task (pages are fetched ahead in other tasks); each
        ``Page`` also carries its own ``Page.response``.
        """
        return current_response()

    @property
    def rate_limit(self) -> RateLimit | None:
        """The rate-limit headers of the most recent response of this client (any task)."""
        return self._transport.gate.last

    @property
    def stats(self) -> RequestStats:
        """Counters of this client and its ``with_options`` views, as a snapshot.

        Requests sent, retries, 429s received and rate-limit waits (count and
        seconds)::

            client.stats.rate_limit_wait_seconds
        """
        return self._transport.gate.stats()

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
        response_type: ResponseType = "json",
        timeout: float | aiohttp.ClientTimeout | None = None,
        retry: RetryPolicy | None = None,
        debug: bool = False,
    ) -> Any:
        """Send any request to the API (the seed's Raw Request).

        ``path_or_url`` is a path on ``base_url`` (``/users/me``) or a full URL;
        the bearer token is only attached when it points at ``base_url``'s host.
        ``json`` sends a JSON body, ``data`` a form (or raw str/bytes), ``files``
        a multipart upload together with ``data``'s fields. ``response_type``
        chooses ``"json"`` (decoded, ``None`` when empty), ``"text"`` or ``"bytes"``.
        ``debug=True`` logs the request and response at INFO, secrets redacted.
        Error statuses raise the matching ``APIError`` subclass; a 3xx raises
        ``RedirectError`` (redirects are never followed, so the token never
        leaves ``base_url``).
        """
        if response_type not in ("json", "text", "bytes"):
            raise InvalidInputError("response_type must be 'json', 'text' or 'bytes'")
        _check_retry(retry)
        if data is not None and not isinstance(data, Mapping | str | bytes):
            raise InvalidInputError(
                f"data must be a mapping, str or bytes, not {type(data).__name__}"
            )
        if files is not None and not isinstance(files, Mapping):
            raise InvalidInputError("files must be a mapping of field names to files")
        if json is not None and (data is not None or files):
            raise InvalidInputError("send either json= or data=/files=, not both")
        response = await self._transport.request(
            method,
            path_or_url,
            params=params,
            json=json,
            data=data,
            files=files,
            headers=headers,
            timeout=timeout,
            retry=retry,
            debug=debug,
        )
        if response_type == "bytes":
            return response.body
        if response_type == "text":
            return response.text()
        return response.json()


def _check_options(
    token: object, oauth: object, retry: object, session: object, sleep: object, clock: object
) -> None:
    """Refuse ill-typed client options at construction (the token is never quoted)."""
    if token is not None and (not isinstance(token, str) or not token.strip()):
        raise InvalidInputError("token must be a non-empty string")
    if oauth is not None and not isinstance(oauth, OAuth2):
        raise InvalidInputError(f"oauth must be an OAuth2, not {type(oauth).__name__}")
    _check_retry(retry)
    if session is not None and not isinstance(session, aiohttp.ClientSession):
        raise InvalidInputError(
            f"session must be an aiohttp.ClientSession, not {type(session).__name__}"
        )
    if not callable(sleep) or not callable(clock):
        raise InvalidInputError("sleep and clock must be callables")


def _check_retry(retry: object) -> None:
    if retry is not None and not isinstance(retry, RetryPolicy):
        raise InvalidInputError(f"retry must be a RetryPolicy, not {type(retry).__name__}")
