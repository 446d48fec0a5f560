"""``WebhookReceiver``: an aiohttp endpoint that verifies, de-duplicates and dispatches."""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from aiohttp import web

from ..errors import InvalidInputError
from ._body import BodyRefused, read_body
from ._events import InvalidPayloadError, WebhookEvent, parse_event
from ._signature import (
    DEFAULT_TOLERANCE,
    SIGNATURE_HEADER,
    InvalidSignatureError,
    SignatureFailure,
    _signing_keys,
    verify_signature,
)

__all__ = ["ANY_EVENT", "HandlerFailure", "WebhookHandler", "WebhookReceiver"]

logger = logging.getLogger("calendly_async.webhooks")

WebhookHandler = Callable[[WebhookEvent], Awaitable[object]]
"""An async function called with each delivery of the events it was registered for."""

H = TypeVar("H", bound=WebhookHandler)

ANY_EVENT = "*"
"""Register a handler for this name (``receiver.on("*")``) to receive every event."""

# Missing or unreadable proof of origin is "unauthenticated"; a proof that was
# checked and refused is "forbidden". Calendly retries either (any non-2xx).
_REJECTION_STATUS: dict[SignatureFailure, int] = {
    "missing": 401,
    "malformed": 401,
    "mismatch": 403,
    "expired": 403,
    "future": 403,
}


@dataclass(frozen=True, slots=True)
class HandlerFailure:
    """A handler that raised while processing a delivery, or was cancelled at shutdown
    (see ``WebhookReceiver.failures``).

    Attributes
    ----------
    event:
        The delivery.
    handler:
        The handler's qualified name.
    error:
        What it raised; a ``TimeoutError`` when it was still running after the
        shutdown grace and was cancelled.
    """

    event: WebhookEvent
    handler: str
    error: Exception


def _reject(status: int, title: str, message: str) -> web.Response:
    return web.json_response({"title": title, "message": message}, status=status)


async def _refuse_and_close(
    request: web.Request, status: int, title: str, message: str
) -> web.Response:
    """Send the refusal, then drop the connection.

    Otherwise aiohttp would go on reading (and inflating) the rest of the body
    to keep the connection alive.
    """
    logger.warning("refused a webhook delivery: %s", message)
    response = _reject(status, title, message)
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    request.protocol.force_close()
    return response


class WebhookReceiver:
    """An aiohttp endpoint for Calendly deliveries: verify, de-duplicate, dispatch.

    Each POST is answered at once: 200 after the delivery is accepted (or
    recognised as a repeat), before any handler runs; handlers run in a
    background task, so a slow or failing handler never delays the answer
    nor makes Calendly retry. Refusals:

    - 401: the signature header is missing or malformed;
    - 403: the signature does not match, or its timestamp is outside ``tolerance``;
    - 400: the body is not a Calendly envelope;
    - 413: the body is larger than ``max_body_size`` (a ``gzip``/``deflate`` body
      counted as inflated; reading stops at the limit).

    ::

        receiver = WebhookReceiver(signing_key)

        @receiver.on("invitee.created")
        async def booked(event: WebhookEvent) -> None: ...

        web.run_app(receiver.app())

    Parameters
    ----------
    signing_key:
        The key(s) of the subscription (several during a rotation). ``None``
        turns verification off and needs ``allow_unsigned=True``.
    allow_unsigned:
        Accept unsigned deliveries (only for subscriptions without a signing key).
    path:
        Where ``app()`` mounts the endpoint.
    tolerance:
        Seconds a signature timestamp may differ from the clock.
    max_body_size:
        Largest accepted body, in bytes.
    remember:
        How many recent delivery keys are kept for de-duplication.
    max_failures:
        How many handler failures ``failures`` keeps (the oldest are dropped).
    shutdown_grace:
        Seconds the application's cleanup waits for running handlers; those still
        running are then cancelled and recorded in ``failures`` (a ``TimeoutError``),
        so shutdown (``web.run_app`` after Ctrl-C) never hangs on a stuck handler.
    clock:
        Unix-time source used for the tolerance check.

    Raises
    ------
    InvalidInputError
        No key and ``allow_unsigned`` not set, or a limit is not positive.
    """

    def __init__(
        self,
        signing_key: str | Sequence[str] | None = None,
        *,
        allow_unsigned: bool = False,
        path: str = "/webhooks/calendly",
        tolerance: float = DEFAULT_TOLERANCE,
        max_body_size: int = 1024 * 1024,
        remember: int = 10_000,
        max_failures: int = 1_000,
        shutdown_grace: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if signing_key is None and not allow_unsigned:
            raise InvalidInputError(
                "give the subscription's signing_key, or pass allow_unsigned=True to accept "
                "deliveries without a signature"
            )
        self._keys = None if signing_key is None else _signing_keys(signing_key)
        for name, value in (
            ("max_body_size", max_body_size),
            ("remember", remember),
            ("max_failures", max_failures),
        ):
            if value < 1:
                raise InvalidInputError(f"{name} must be at least 1, not {value!r}")
        if isinstance(shutdown_grace, bool) or not shutdown_grace >= 0:
            raise InvalidInputError(f"shutdown_grace must be >= 0 seconds, not {shutdown_grace!r}")
        if not path.startswith("/"):
            raise InvalidInputError(f"path must start with '/', not {path!r}")
        self.path = path
        self.tolerance = tolerance
        self.max_body_size = max_body_size
        self.shutdown_grace = shutdown_grace
        self._remember = remember
        self._clock = clock
        self._seen: OrderedDict[tuple[str, str | None, str], None] = OrderedDict()
        self._handlers: dict[str, list[WebhookHandler]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.failures: deque[HandlerFailure] = deque(maxlen=max_failures)

    def __repr__(self) -> str:
        keys = "None" if self._keys is None else f"<{len(self._keys)} key(s)>"
        return f"WebhookReceiver(path={self.path!r}, signing_key={keys})"

    def on(self, *events: str) -> Callable[[H], H]:
        """Register an async handler for ``events`` (``"*"``: every event), as a decorator.

        Handlers of one delivery run one after the other: those for its event
        name first, then the ``"*"`` ones, each in registration order.

        Raises
        ------
        InvalidInputError
            No event name, an empty one, or a handler that is not ``async``.
        """
        if not events or not all(isinstance(e, str) and e.strip() for e in events):
            raise InvalidInputError("name at least one event, or '*' for every event")

        def register(handler: H) -> H:
            call = type(handler).__call__  # an instance with ``async def __call__`` counts
            if not (inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(call)):
                raise InvalidInputError(f"webhook handler {handler!r} must be an async function")
            for event in events:
                self._handlers.setdefault(event, []).append(handler)
            return handler

        return register

    def app(self) -> web.Application:
        """A ``web.Application`` answering POST on ``path``; drains handlers on cleanup.

        aiohttp's own decompression is off for it (``auto_decompress=False``): the
        receiver inflates compressed bodies itself and stops at ``max_body_size``.
        """
        # The receiver inflates compressed bodies itself, bounded (see _body.py).
        application = web.Application(
            client_max_size=self.max_body_size, handler_args={"auto_decompress": False}
        )
        application.router.add_post(self.path, self.handler)
        application.on_cleanup.append(self._cleanup)
        return application

    async def handler(self, request: web.Request) -> web.Response:
        """The aiohttp request handler, to mount on an application of your own."""
        body = await self._read_body(request)
        if not isinstance(body, bytes):
            return body
        try:
            if self._keys is not None:
                verify_signature(
                    body,
                    request.headers.get(SIGNATURE_HEADER),
                    self._keys,
                    tolerance=self.tolerance,
                    now=self._clock(),
                )
            event = parse_event(body)
        except InvalidSignatureError as exc:
            logger.warning("refused a webhook delivery: %s", exc)
            return _reject(_REJECTION_STATUS[exc.reason], "Invalid Signature", str(exc))
        except InvalidPayloadError as exc:
            logger.warning("refused a webhook delivery: %s", exc)
            return _reject(400, "Invalid Payload", str(exc))
        if self._is_repeat(event):
            logger.info("repeated delivery of %s %s ignored", event.event, event.payload_uri)
            return web.json_response({"status": "duplicate"})
        self._dispatch(event)
        return web.json_response({"status": "accepted"})

    async def drain(self, timeout: float | None = None) -> None:
        """Wait until every accepted delivery has been through its handlers.

        With ``timeout`` (seconds), handlers still running after it are cancelled
        and recorded in ``failures``; the wait for them to stop is bounded too.
        ``app()`` calls ``drain(shutdown_grace)`` on cleanup; call it from your own
        application's cleanup when you mount ``handler`` yourself.
        """
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while self._tasks:
            left = None if deadline is None else max(0.0, deadline - loop.time())
            _, running = await asyncio.wait(set(self._tasks), timeout=left)
            if running:
                await self._cancel(running, timeout or 0.0)
                return

    async def _cancel(self, running: set[asyncio.Task[None]], grace: float) -> None:
        for task in running:
            task.cancel("webhook handler still running at shutdown")
        _, stuck = await asyncio.wait(running, timeout=max(grace, 1.0))
        if stuck:  # a handler that swallows the cancellation: give up on it, do not hang
            logger.error("%d webhook handler(s) ignored cancellation at shutdown", len(stuck))

    async def _cleanup(self, _app: web.Application) -> None:
        await self.drain(self.shutdown_grace)

    async def _read_body(self, request: web.Request) -> bytes | web.Response:
        """The body, or the answer refusing it (see ``_body.read_body``)."""
        try:
            return await read_body(request, self.max_body_size)
        except BodyRefused as refused:
            if request.content.at_eof():
                logger.warning("refused a webhook delivery: %s", refused.message)
                return _reject(refused.status, refused.title, refused.message)
            return await _refuse_and_close(request, refused.status, refused.title, refused.message)
        except web.RequestPayloadError as exc:
            # The application inflates bodies itself (the handler mounted elsewhere):
            # aiohttp stops past its own cap (DecompressSizeError, 3.13+) or on a
            # corrupt stream.
            too_large = type(exc.__cause__).__name__ == "DecompressSizeError"
            status, title = (413, "Payload Too Large") if too_large else (400, "Invalid Payload")
            return await _refuse_and_close(request, status, title, "the body cannot be read")

    def _is_repeat(self, event: WebhookEvent) -> bool:
        """Remember the delivery key; ``True`` when it was already seen (bounded LRU)."""
        key = event.delivery_key
        if key in self._seen:
            self._seen.move_to_end(key)
            return True
        self._seen[key] = None
        if len(self._seen) > self._remember:
            self._seen.popitem(last=False)
        return False

    def _dispatch(self, event: WebhookEvent) -> None:
        handlers = [*self._handlers.get(event.event, ()), *self._handlers.get(ANY_EVENT, ())]
        if not handlers:
            return
        task = asyncio.get_running_loop().create_task(self._run(event, handlers))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, event: WebhookEvent, handlers: list[WebhookHandler]) -> None:
        for handler in handlers:
            name = getattr(handler, "__qualname__", repr(handler))
            try:
                await handler(event)
            except asyncio.CancelledError:
                stopped = TimeoutError("cancelled: still running when the receiver shut down")
                self.failures.append(HandlerFailure(event=event, handler=name, error=stopped))
                logger.error(
                    "webhook handler %s cancelled at shutdown on %s %s",
                    name,
                    event.event,
                    event.payload_uri,
                )
                raise
            except Exception as exc:  # a handler's failure must not be lost nor spread
                self.failures.append(HandlerFailure(event=event, handler=name, error=exc))
                logger.error(
                    "webhook handler %s failed on %s %s (created %s)",
                    name,
                    event.event,
                    event.payload_uri,
                    event.created_at.isoformat(),
                    exc_info=exc,
                )
