"""``include contacts``: the export's contacts and contact custom field definitions over
loopback, exactly what Calendly lists (every format, raw JSON kept, pagination and
stale page tokens, resume after a failure), the command, and PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
from aiohttp import web
from aiohttp.typedefs import Handler
from export_support import (
    assert_exact,
    client_for,
    csv_rows,
    every_format,
    ndjson,
    plain_contacts,
)
from postgres_support import records, rows

from calendly_async import Calendly, cli
from calendly_async.errors import ServerError
from calendly_async.jobs import TABLES, export
from calendly_async.jobs._postgres import _expression
from calendly_async.jobs._tables import column_value
from calendly_async.mock import Faults, MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)
SINCE, UNTIL = "2030-01-01T00:00:00.000000Z", "2030-01-11T00:00:00.000000Z"
EXTRA_CONTACTS = 90
"""Added to the mock's 24 seeded contacts: more than one page of 100."""


class NoWait:
    """The export's window-backoff sleep: returns at once."""

    async def __call__(self, seconds: float) -> None:
        return None


class Paths:
    """Counts the mock's requests by path and keeps the query of each ``GET /contacts``."""

    def __init__(self, mock: MockCalendly) -> None:
        self.counts: Counter[str] = Counter()
        self.contact_queries: list[dict[str, str]] = []

        @web.middleware
        async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
            self.counts[request.path] += 1
            if request.path == "/contacts":
                self.contact_queries.append(dict(request.query))
            return await handler(request)

        mock.app.middlewares.insert(0, count)


async def _grow(mock: MockCalendly) -> str:
    """Add contacts (one whose primary e-mail is its second) and a currency field;
    the uri of the contact with the second e-mail primary."""
    async with client_for(mock) as client:
        await client.contact_custom_fields.create("Budget", "currency", currency="eur")
        special = await client.contacts.create(
            "Second Primary",
            [{"email": "first@example.com", "is_primary": False},
             {"email": "second@example.com", "is_primary": True}],
            phone_numbers=["+4930123456", "+14155550100"],
        )  # fmt: skip
        for index in range(EXTRA_CONTACTS - 1):
            await client.contacts.create(f"Extra {index}", f"extra{index}@example.com")
    return special.uri


@pytest.fixture
async def mock() -> Any:
    m = MockCalendly(seed=31, events=30, invitees_per_event=2, start=START, days=10)
    m.paths = Paths(m)  # type: ignore[attr-defined]
    async with m:
        yield m


def _paths(mock: MockCalendly) -> Paths:
    paths: Paths = mock.paths  # type: ignore[attr-defined]
    return paths


def _range(mock: MockCalendly) -> dict[str, str]:
    return {"organization": mock.organization_uri, "since": SINCE, "until": UNTIL}


async def test_contacts_exact_in_every_format(mock: MockCalendly, tmp_path: Path) -> None:
    special = await _grow(mock)
    paths = _paths(mock)
    contacts, definitions = await plain_contacts(mock)
    assert len(contacts) == 24 + EXTRA_CONTACTS > 100  # two pages
    assert len(definitions) == 5
    paths.contact_queries.clear()
    paths.counts.clear()
    async with client_for(mock) as client:
        summary = await export(client, tmp_path, **_range(mock), include="contacts")
    assert summary.counts["contacts"] == len(contacts)
    assert summary.counts["contact_custom_fields"] == len(definitions)
    assert_exact(tmp_path, {"contacts": contacts, "contact_custom_fields": definitions})
    # Calendly rule: oldest first, 100 a page, custom fields not excluded.
    assert paths.contact_queries[0] == {"sort": "created_at:asc", "count": "100"}
    assert len(paths.contact_queries) == 2
    assert paths.counts["/contacts/custom_field_definitions"] == 1
    created = [c["created_at"] for c in ndjson(tmp_path, "contacts")]
    assert created == sorted(created)

    rows_by_uri = {row["uri"]: row for row in csv_rows(tmp_path, "contacts")}
    assert list(next(iter(rows_by_uri.values()))) == list(TABLES["contacts"].column_names)
    assert rows_by_uri[special]["email"] == "second@example.com"
    for uri, row in rows_by_uri.items():
        contact = contacts[uri]
        primary = next(e["email"] for e in contact["emails"] if e["is_primary"])
        assert row["email"] == primary
        assert row["name"] == contact["name"]
        assert row["owner"] == contact["owner"] == mock.owner_uri
        for column in ("emails", "phone_numbers", "custom_fields"):
            assert msgspec.json.decode(row[column]) == contact[column]
    assert len(msgspec.json.decode(rows_by_uri[special]["phone_numbers"])) == 2
    assert any(msgspec.json.decode(r["custom_fields"]) for r in rows_by_uri.values())
    fields = {row["label"]: row for row in csv_rows(tmp_path, "contact_custom_fields")}
    assert fields["Budget"]["currency"] == "EUR"
    assert fields["Budget"]["field_type"] == "currency"
    segment = next(d for d in definitions.values() if d["label"] == "Segment")
    assert msgspec.json.decode(fields["Segment"]["options"]) == segment["options"]

    with sqlite3.connect(tmp_path / "calendly.sqlite") as db:
        (email,) = db.execute("SELECT email FROM contacts WHERE uri = ?", (special,)).fetchone()
        indexes = {row[1] for row in db.execute("PRAGMA index_list(contacts)")}
    assert email == "second@example.com"
    assert "contacts_email" in indexes


async def test_stale_page_tokens_in_the_contacts_listing(
    mock: MockCalendly, tmp_path: Path
) -> None:
    """Half the page-token requests are refused: the listing restarts, nothing doubles."""
    await _grow(mock)
    contacts, _ = await plain_contacts(mock)
    mock.route_faults["GET /contacts"] = Faults(stale_page_token_rate=0.5)
    async with client_for(mock) as client:
        summary = await export(
            client, tmp_path, **_range(mock), include="contacts", formats="ndjson,sqlite"
        )
    assert summary.stale_restarts > 0
    lines = ndjson(tmp_path, "contacts")
    assert len(lines) == len(contacts)
    assert {line["uri"]: line for line in lines} == contacts


async def test_resume_after_contacts_fail_redoes_only_the_extra(
    mock: MockCalendly, tmp_path: Path
) -> None:
    contacts, definitions = await plain_contacts(mock)
    paths = _paths(mock)
    mock.route_faults["GET /contacts"] = Faults(error_rate=1.0)
    async with client_for(mock) as client:
        with pytest.raises(ServerError):
            await export(
                client, tmp_path, **_range(mock), include="contacts", concurrency=4,
                window_attempts=2, sleep=NoWait(),
            )  # fmt: skip
        checkpoint = msgspec.json.decode(
            (tmp_path / ".calendly-export" / "checkpoint.json").read_bytes()
        )
        assert checkpoint["finished"] is False
        assert all(window["done"] for window in checkpoint["windows"])
        assert checkpoint["extras_done"] == []
        assert not (tmp_path / "contacts.ndjson").exists()
        events_listed = paths.counts["/scheduled_events"]
        assert events_listed > 0
        mock.route_faults.clear()
        await export(client, tmp_path, **_range(mock), include="contacts", resume=True)
    assert paths.counts["/scheduled_events"] == events_listed  # the windows were done
    checkpoint = msgspec.json.decode(
        (tmp_path / ".calendly-export" / "checkpoint.json").read_bytes()
    )
    assert checkpoint["extras_done"] == ["contacts"]
    assert checkpoint["finished"] is True
    assert_exact(tmp_path, {"contacts": contacts, "contact_custom_fields": definitions})


async def test_cli_include_contacts_with_a_user_scope(tmp_path: Path) -> None:
    """Calendly rule: contacts take no organization filter, so a user scope works too."""
    async with MockCalendly(seed=32, events=20, start=START, days=10) as mock:
        contacts, definitions = await plain_contacts(mock)
        args = ["--token", mock.token, "--base-url", mock.url, "export", "--out", str(tmp_path),
                "--user", mock.owner_uri, "--include", "contacts", "--format", "csv"]  # fmt: skip
        assert await asyncio.to_thread(cli.main, args) == 0
    assert {row["uri"] for row in csv_rows(tmp_path, "contacts")} == set(contacts) != set()
    assert {row["uri"] for row in csv_rows(tmp_path, "contact_custom_fields")} == set(definitions)


# -- what this SDK version does not know: an inline server ------------------------------

CONTACT = {
    "uri": "",
    "name": "Future Contact",
    "emails": [{"email": "f@example.com", "is_primary": True, "verified": True}],
    "custom_fields": [{"uri": "", "label": "Tier", "value": ["a", "b"], "new_key": 1}],
    "created_at": "2030-01-01T00:00:00.000000Z",
    "timezone": None,  # equal to the model's default: still written
    "brand_new_field": {"nested": [1, 2.5, "x"]},
}
DEFINITION = {
    "uri": "",
    "label": "Tier",
    "field_type": "multi_select_of_the_future",
    "options": [{"uuid": "O1", "label": "a", "color": None, "weight": 3}],
    "created_at": "2030-01-01T00:00:00.000000Z",
    "definition_future_field": "kept",
}


def _app(base: list[str]) -> web.Application:
    def pretty(body: Any) -> web.Response:
        # Pretty-printed, as a proxy might: lines are re-compacted, values kept.
        return web.Response(
            body=msgspec.json.format(msgspec.json.encode(body), indent=2),
            content_type="application/json",
        )

    async def events(request: web.Request) -> web.Response:
        return web.json_response({"collection": [], "pagination": {"next_page_token": None}})

    async def contacts(request: web.Request) -> web.Response:
        item = {**CONTACT, "uri": f"{base[0]}/contacts/C1"}
        return pretty({"collection": [item], "pagination": {"next_page_token": None}})

    async def definitions(request: web.Request) -> web.Response:
        item = {**DEFINITION, "uri": f"{base[0]}/contacts/custom_field_definitions/D1"}
        return pretty({"collection": [item]})

    app = web.Application()
    app.router.add_get("/scheduled_events", events)
    app.router.add_get("/contacts", contacts)
    app.router.add_get("/contacts/custom_field_definitions", definitions)
    return app


async def test_unknown_fields_of_contacts_and_definitions_kept(serve: Any, tmp_path: Path) -> None:
    base: list[str] = []
    base.append(await serve(_app(base)))
    async with Calendly(token="t", base_url=base[0]) as client:
        await export(
            client, tmp_path, organization=f"{base[0]}/organizations/ORG",
            since=SINCE, until=UNTIL, include=["contacts"],
        )  # fmt: skip
    definition_uri = f"{base[0]}/contacts/custom_field_definitions/D1"
    for table, expected in (
        ("contacts", {**CONTACT, "uri": f"{base[0]}/contacts/C1"}),
        ("contact_custom_fields", {**DEFINITION, "uri": definition_uri}),
    ):
        formats = every_format(tmp_path, table)
        assert list(formats["ndjson"].values()) == [expected]
        assert list(formats["sqlite"].values()) == [expected]
        assert (tmp_path / f"{table}.ndjson").read_bytes().count(b"\n") == 1
    assert b'"timezone":null' in (tmp_path / "contacts.ndjson").read_bytes()
    assert csv_rows(tmp_path, "contacts")[0]["email"] == "f@example.com"


FIRST = {"email": "a@x"}
PRIMARY_CASES: list[tuple[dict[str, Any], str | None]] = [
    ({"emails": [FIRST, {"email": "b@x", "is_primary": True}]}, "b@x"),
    ({"emails": [FIRST, {"email": "b@x", "is_primary": "yes"}]}, "a@x"),
    ({"emails": [{"is_primary": True}, FIRST]}, None),
    ({"emails": []}, None),
    ({"emails": "a@x"}, None),
    ({"emails": ["a@x"]}, None),
    ({}, None),
]
"""Records and their ``email`` column: the flagged entry, else the first, else null."""


def test_primary_column_reads_the_flagged_entry_else_the_first() -> None:
    email = TABLES["contacts"].columns[1]
    assert email.name == "email"
    for record, expected in PRIMARY_CASES:
        assert column_value(record, email) == expected, record


# -- PostgreSQL ---------------------------------------------------------------------------


async def test_postgres_holds_exactly_the_contacts(database: str) -> None:
    mock = MockCalendly(seed=33, events=20, start=START, days=10)
    async with mock:
        special = await _grow(mock)
        contacts, definitions = await plain_contacts(mock)
        async with client_for(mock) as client:
            summary = await export(
                client, database=database, **_range(mock), include="contacts", concurrency=8
            )
    assert summary.counts["contacts"] == len(contacts)
    assert await records(database, "contacts") == contacts
    assert await records(database, "contact_custom_fields") == definitions
    contact_rows = await rows(database, "contacts")
    assert contact_rows[special]["email"] == "second@example.com"
    for uri, row in contact_rows.items():
        assert row["email"] == next(e["email"] for e in contacts[uri]["emails"] if e["is_primary"])
        assert isinstance(row["created_at"], datetime)
        assert msgspec.json.decode(row["custom_fields"]) == contacts[uri]["custom_fields"]
        assert msgspec.json.decode(row["emails"]) == contacts[uri]["emails"]
    # PostgreSQL computes the column itself: the same answer as the file sinks'.
    expression = _expression(TABLES["contacts"].columns[1])
    conn = await asyncpg.connect(database)
    try:
        for record, expected in PRIMARY_CASES:
            found = await conn.fetchval(
                f"SELECT {expression} FROM (SELECT $1::jsonb AS record) AS s",
                msgspec.json.encode(record).decode(),
            )
            assert found == expected, record
    finally:
        await conn.close()
    field_rows = await rows(database, "contact_custom_fields")
    for uri, row in field_rows.items():
        assert msgspec.json.decode(row["options"]) == definitions[uri]["options"]
        assert row["label"] == definitions[uri]["label"]
