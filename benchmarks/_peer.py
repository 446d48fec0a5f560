"""The peer client row: ``calendly-py`` 0.0.2, the Speakeasy-generated Calendly v2 SDK.

Of the Calendly clients on PyPI it is the only one that can be pointed at another
base URL (``Calendly(server_url=...)``) and lists scheduled events with query
parameters; the others are excluded in ``benchmarks/README.md``. It is synchronous
(``requests``), so the harness runs it in a worker thread while the event loop
serves the mock.

It pins ``typing-extensions==4.3.0``, which ``pydantic`` v2, ``mypy`` and
``aiosignal`` 1.4 (``aiohttp`` 3.13) cannot use, so it lives in its own virtualenv
(see the README); anywhere else the row is skipped with the reason. It is loaded
with ``importlib`` because its import name, ``calendly``, is shared by several
unrelated PyPI projects.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import Any

from ._measure import BenchmarkError

__all__ = ["PEER_LABEL", "Peer", "load_peer"]

PEER_LABEL = "calendly-py 0.0.2 (Speakeasy, sync)"
_DISTRIBUTION = "calendly-py"


@dataclass(frozen=True, slots=True)
class Peer:
    """The imported peer SDK: its modules and version."""

    sdk: ModuleType
    operations: ModuleType
    shared: ModuleType
    utils: ModuleType
    version: str

    def client(self, url: str, token: str) -> Any:
        """A peer client sending the personal access token to ``url``."""
        # Speakeasy puts the security value in the header as given: include "Bearer".
        security = self.shared.Security(personal_access_token=f"Bearer {token}")
        return self.sdk.Calendly(server_url=url, security=security)

    def decode_page(self, body: bytes) -> int:
        """Decode one ``GET /scheduled_events`` body the way the peer does; the item count."""
        page = self.utils.unmarshal_json(body.decode("utf-8"), self.shared.ScheduledEventsResponse)
        return len(page.collection)

    def fetch_all_events(self, url: str, token: str, organization: str, page_size: int) -> int:
        """Every scheduled event of ``organization``, page by page; the item count."""
        client = self.client(url, token)
        items: list[Any] = []
        page_token: str | None = None
        try:
            while True:
                request = self.operations.ListScheduledEventsRequest(
                    organization=organization, count=page_size, page_token=page_token
                )
                response = client.scheduled_events.list(request)
                body = _ok(response, response.scheduled_events_response)
                items.extend(body.collection)
                page_token = body.pagination.next_page_token
                if not page_token:
                    return len(items)
        finally:
            client._client.close()

    def available_times(
        self,
        url: str,
        token: str,
        event_types: Sequence[str],
        windows: Sequence[tuple[datetime, datetime]],
    ) -> int:
        """Open slots of every event type over ``windows``, one request after another."""
        client = self.client(url, token)
        total = 0
        try:
            for event_type in event_types:
                slots: dict[tuple[Any, Any], Any] = {}
                for start, end in windows:
                    request = self.operations.GetEventTypeAvailableTimesRequest(
                        event_type=event_type, start_time=_iso(start), end_time=_iso(end)
                    )
                    response = client.event_types.get_available_times(request)
                    body = _ok(
                        response,
                        response.get_event_type_available_times_200_application_json_object,
                    )
                    for slot in body.collection:
                        slots.setdefault((slot.start_time, slot.scheduling_url), slot)
                total += len(slots)
        finally:
            client._client.close()
        return total


def _ok(response: Any, body: Any) -> Any:
    if body is None:
        raise BenchmarkError(f"peer request failed: HTTP {response.status_code}")
    return body


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def load_peer() -> tuple[Peer | None, str]:
    """The peer SDK, or ``None`` and the reason it cannot be used in this environment."""
    try:
        version = importlib.metadata.version(_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None, f"skipped: {_DISTRIBUTION} is not installed here (see benchmarks/README.md)"
    try:
        sdk = importlib.import_module("calendly.sdk")
        operations = importlib.import_module("calendly.models.operations")
        shared = importlib.import_module("calendly.models.shared")
        utils = importlib.import_module("calendly.utils")
    except Exception as exc:  # its pinned dependencies break in many environments
        return None, f"skipped: {_DISTRIBUTION} {version} fails to import: {exc!r}"
    # dataclasses-json warns for every null in a field the generated spec calls required.
    warnings.filterwarnings("ignore", category=RuntimeWarning, module="dataclasses_json")
    return Peer(sdk, operations, shared, utils, version), ""
