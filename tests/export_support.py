"""Shared pieces of the export tests: a request counter on the mock, a plain-HTTP
listing of the mock to compare against, and readers for every output format."""

from __future__ import annotations

import csv
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import msgspec
from aiohttp import web
from aiohttp.typedefs import Handler

from calendly_async import Calendly, RetryPolicy
from calendly_async.mock import MockCalendly

FAST_RETRY = RetryPolicy(max_retries=4, backoff_base=0.001, backoff_max=0.01)
"""Per-request retries without real waiting (the faults tests)."""


class Requests:
    """Counts every request the mock receives and every status it answers."""

    def __init__(self) -> None:
        self.total = 0
        self.statuses: Counter[int] = Counter()

    def install(self, mock: MockCalendly) -> Requests:
        """Add the counter as the outermost middleware (before ``start``)."""

        @web.middleware
        async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
            self.total += 1
            response = await handler(request)
            self.statuses[response.status] += 1
            return response

        mock.app.middlewares.insert(0, count)
        return self


def client_for(mock: MockCalendly, **options: Any) -> Calendly:
    """A client on the mock with fast per-request retries."""
    options.setdefault("retry", FAST_RETRY)
    return Calendly(token=mock.token, base_url=mock.url, **options)


async def _pages(http: aiohttp.ClientSession, url: str, params: dict[str, str]) -> list[Any]:
    items: list[Any] = []
    token: str | None = None
    while True:
        query = {**params, "count": "100", **({"page_token": token} if token else {})}
        async with http.get(url, params=query) as response:
            assert response.status == 200, await response.text()
            body = msgspec.json.decode(await response.read())
        items.extend(body["collection"])
        token = body["pagination"]["next_page_token"]
        if not token:
            return items


async def plain_listing(
    mock: MockCalendly, since: str | None = None, until: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every event (``start_time`` in range) and invitee of the organization, by uri,
    fetched with plain aiohttp and Calendly's own pagination, one request at a time."""
    headers = {"Authorization": f"Bearer {mock.token}"}
    params = {"organization": mock.organization_uri}
    if since:
        params["min_start_time"] = since
    if until:
        params["max_start_time"] = until
    async with aiohttp.ClientSession(headers=headers) as http:
        events = await _pages(http, f"{mock.url}/scheduled_events", params)
        invitees: dict[str, Any] = {}
        for event in events:
            for invitee in await _pages(http, f"{event['uri']}/invitees", {}):
                invitees[invitee["uri"]] = invitee
    return {event["uri"]: event for event in events}, invitees


def ndjson(directory: Path, table: str) -> list[Any]:
    """The records of ``TABLE.ndjson``, in file order."""
    lines = (directory / f"{table}.ndjson").read_bytes().splitlines()
    return [msgspec.json.decode(line) for line in lines]


def csv_rows(directory: Path, table: str) -> list[dict[str, str]]:
    """The rows of ``TABLE.csv`` as dicts (header row as keys)."""
    with open(directory / f"{table}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def sqlite_records(directory: Path, table: str) -> dict[str, Any]:
    """``uri -> decoded record`` from ``calendly.sqlite``."""
    with sqlite3.connect(directory / "calendly.sqlite") as db:
        rows = db.execute(f"SELECT uri, record FROM {table}").fetchall()
    return {uri: msgspec.json.decode(record) for uri, record in rows}


def every_format(directory: Path, table: str) -> dict[str, dict[str, Any]]:
    """``uri -> record`` as each format holds it (CSV: its row), checking no uri repeats."""
    lines = ndjson(directory, table)
    rows = csv_rows(directory, table)
    db = sqlite_records(directory, table)
    assert len({r["uri"] for r in lines}) == len(lines), "NDJSON repeats a uri"
    assert len({r["uri"] for r in rows}) == len(rows), "CSV repeats a uri"
    return {
        "ndjson": {r["uri"]: r for r in lines},
        "csv": {r["uri"]: r for r in rows},
        "sqlite": db,
    }


def output_bytes(directory: Path) -> dict[str, bytes]:
    """The NDJSON and CSV files' bytes (for byte-for-byte comparisons)."""
    return {
        path.name: path.read_bytes()
        for path in sorted(directory.iterdir())
        if path.suffix in (".ndjson", ".csv")
    }
