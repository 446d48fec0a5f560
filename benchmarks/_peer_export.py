"""Row 4's peer client: the export done with ``calendly-py`` 0.0.2 (Speakeasy), in its venv.

Run by the harness with the peer virtualenv's interpreter, never imported by it
(``calendly-py`` pins ``typing-extensions==4.3.0`` and shares the import name
``calendly`` with other PyPI projects, so it cannot live in the project's venv)::

    PEER_PYTHON benchmarks/_peer_export.py URL TOKEN ORGANIZATION

It uses only the standard library and the peer package. It lists every scheduled
event of the organisation page by page (``count=100``, ``page_token``), then each
event's invitees page by page, one request after another (the library is
synchronous, built on ``requests``), keeps every record, and prints one JSON line:
``{"records": n, "requests": n, "seconds": s, "peak_rss_mb": mb}``.

Which peers can be pointed at the mock (read in their installed source):

- ``calendly-py`` 0.0.2: yes, ``Calendly(server_url=...)``.
- ``PyCalendly`` 1.1.0: no. Every URL is a module constant built at import from
  ``BASE = "https://api.calendly.com"`` (``calendly/utils/constants.py``, copied into
  ``calendly/calendly.py`` by ``from ... import EVENTS``), with no option to change
  it; and ``list_events`` sends its filters (``organization``, ``count``) as a JSON
  body on a GET (``requests.get(url, json=data)``), which Calendly (and the mock)
  do not read, while ``list_event_invitees`` fetches only a first page of 20.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any


def _ok(response: Any, body: Any) -> Any:
    if body is None:
        raise SystemExit(f"peer request failed: HTTP {response.status_code}")
    return body


def export(url: str, token: str, organization: str) -> tuple[int, int]:
    """Every event and invitee, sequentially; (records kept, requests sent)."""
    # By name: ``calendly`` is also the import name of unrelated PyPI projects.
    sdk: Any = importlib.import_module("calendly.sdk")
    operations: Any = importlib.import_module("calendly.models.operations")
    shared: Any = importlib.import_module("calendly.models.shared")

    # Speakeasy sends the security value as given: include "Bearer".
    security = shared.Security(personal_access_token=f"Bearer {token}")
    client = sdk.Calendly(server_url=url, security=security)
    records: list[Any] = []
    requests = 0
    page_token: str | None = None
    events: list[Any] = []
    while True:
        listed = client.scheduled_events.list(
            operations.ListScheduledEventsRequest(
                organization=organization, count=100, page_token=page_token
            )
        )
        requests += 1
        body = _ok(listed, listed.scheduled_events_response)
        events.extend(body.collection)
        page_token = body.pagination.next_page_token
        if not page_token:
            break
    records.extend(events)
    for event in events:
        uuid = event.uri.rsplit("/", 1)[-1]
        page_token = None
        while True:
            answer = client.scheduled_events.get_invitees(
                operations.GetInviteesRequest(uuid=uuid, count=100, page_token=page_token)
            )
            requests += 1
            page = _ok(answer, answer.get_invitees_200_application_json_object)
            records.extend(page.collection)
            page_token = page.pagination.next_page_token if page.pagination else None
            if not page_token:
                break
    return len(records), requests


def main(argv: list[str]) -> int:
    """Run the export once and print its figures as JSON."""
    url, token, organization = argv
    # dataclasses-json warns for every null in a field the generated spec calls required.
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    started = time.perf_counter()
    records, requests = export(url, token, organization)
    seconds = time.perf_counter() - started
    # The harness's own helper, by location: this script runs outside the package.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    peak = importlib.import_module("_rss").peak_rss_mb()
    figures = {"records": records, "requests": requests, "seconds": seconds, "peak_rss_mb": peak}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
