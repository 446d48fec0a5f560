"""Webhook deliveries of the mock server: sign, POST, retry, record.

Behaves like Calendly's sender (reference §7.2): the envelope
``{event, created_at, created_by, payload}`` is POSTed as JSON, signed with
``Calendly-Webhook-Signature`` when the subscription has a signing key; any
answer outside 2xx (redirects included) or a connection failure is retried
after each of ``retry_delays`` (Calendly retries for 24 hours; the mock uses
short delays). ``created_at`` and the body stay the same on every retry, the
signature is made afresh with the time of each attempt.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import msgspec

from ..webhooks import SIGNATURE_HEADER, sign

__all__ = ["DeliveryAttempt", "DeliveryRecord", "Deliverer"]

# Calendly waits 10 s to connect and 15 s for the answer (reference §7.2).
_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=10, sock_read=15)
_USER_AGENT = "Calendly-Mock-Webhooks/1.0"


@dataclass
class DeliveryAttempt:
    """One POST of a delivery: the status received, or the connection error."""

    status: int | None
    error: str | None


@dataclass
class DeliveryRecord:
    """A delivery and every attempt made so far; ``delivered`` once one got a 2xx."""

    subscription_uri: str
    url: str
    event: str
    body: bytes = field(repr=False)
    attempts: list[DeliveryAttempt] = field(default_factory=list)
    delivered: bool = False


def _timestamp(unix: float) -> str:
    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Deliverer:
    """Sends webhook deliveries in the background and records what happened.

    Parameters
    ----------
    retry_delays:
        Seconds to wait before each retry; ``len(retry_delays) + 1`` attempts at most.
    sleep:
        Awaited to wait between attempts (inject a fake one in tests).
    clock:
        Unix time, for ``created_at`` and the signature timestamp.
    """

    def __init__(
        self,
        *,
        retry_delays: Sequence[float] = (0.05, 0.1, 0.2, 0.4),
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.retry_delays = tuple(retry_delays)
        self._sleep = sleep
        self._clock = clock
        self.records: list[DeliveryRecord] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"Deliverer(records={len(self.records)}, pending={len(self._tasks)})"

    def deliver(
        self,
        *,
        callback_url: str,
        subscription_uri: str,
        signing_key: str | None,
        event: str,
        payload: dict[str, Any],
        created_by: str,
    ) -> None:
        """Schedule the delivery of one event to ``callback_url`` (needs a running loop).

        The record is appended to ``records`` at once; its ``attempts`` fill in as
        the background task runs. The signing key is used, never stored.
        """
        envelope = {
            "event": event,
            "created_at": _timestamp(self._clock()),
            "created_by": created_by,
            "payload": payload,
        }
        record = DeliveryRecord(
            subscription_uri=subscription_uri,
            url=callback_url,
            event=event,
            body=msgspec.json.encode(envelope),
        )
        self.records.append(record)
        task = asyncio.get_running_loop().create_task(self._run(record, signing_key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait until every scheduled delivery has succeeded or used all its attempts."""
        while self._tasks:
            tasks = list(self._tasks)
            await asyncio.gather(*tasks, return_exceptions=True)
            self._tasks.difference_update(tasks)

    async def aclose(self) -> None:
        """Cancel pending deliveries and close the HTTP session."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _run(self, record: DeliveryRecord, signing_key: str | None) -> None:
        for attempt in range(len(self.retry_delays) + 1):
            if attempt:
                await self._sleep(self.retry_delays[attempt - 1])
            result = await self._attempt(record, signing_key)
            record.attempts.append(result)
            # Calendly rule: only a 2xx answer counts as delivered.
            if result.status is not None and 200 <= result.status < 300:
                record.delivered = True
                return

    async def _attempt(self, record: DeliveryRecord, signing_key: str | None) -> DeliveryAttempt:
        headers = {"Content-Type": "application/json", "User-Agent": _USER_AGENT}
        if signing_key:
            headers[SIGNATURE_HEADER] = sign(record.body, signing_key, int(self._clock()))
        try:
            async with self._get_session().post(
                record.url, data=record.body, headers=headers, allow_redirects=False
            ) as response:
                await response.read()
                return DeliveryAttempt(status=response.status, error=None)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return DeliveryAttempt(status=None, error=f"{type(exc).__name__}: {exc}")

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=_TIMEOUT)
        return self._session
