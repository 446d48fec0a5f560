"""The export's data over loopback: exactly the mock's events and invitees, in every
format, with the documented columns; unknown fields and default-equal values kept."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from aiohttp import web
from export_support import client_for, csv_rows, every_format, ndjson, plain_listing

from calendly_async import Calendly
from calendly_async.errors import InvalidInputError
from calendly_async.jobs import TABLES, export
from calendly_async.mock import MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
async def mock() -> Any:
    async with MockCalendly(seed=3, events=120, invitees_per_event=3, start=START, days=20) as m:
        yield m


async def test_exact_sets_in_every_format(mock: MockCalendly, tmp_path: Path) -> None:
    since, until = "2030-01-03T00:00:00.000000Z", "2030-01-15T00:00:00.000000Z"
    events, invitees = await plain_listing(mock, since, until)
    assert 0 < len(events) < 120  # the range really cuts
    async with client_for(mock) as client:
        summary = await export(
            client, tmp_path, organization=mock.organization_uri, since=since, until=until
        )
    assert summary.counts == {"scheduled_events": len(events), "invitees": len(invitees)}
    for table, expected in (("scheduled_events", events), ("invitees", invitees)):
        formats = every_format(tmp_path, table)
        assert formats["ndjson"] == expected
        assert formats["sqlite"] == expected
        assert set(formats["csv"]) == set(expected)
    statuses = {e["status"] for e in events.values()}
    assert statuses == {"active", "canceled"}  # all statuses, not just active
    assert {i["status"] for i in invitees.values()} == {"active", "canceled"}
    starts = [e["start_time"] for e in ndjson(tmp_path, "scheduled_events")]
    assert starts == sorted(starts)
    assert all(since <= s.replace("Z", ".000000Z")[:27] for s in starts)


async def test_csv_columns_and_values(mock: MockCalendly, tmp_path: Path) -> None:
    async with client_for(mock) as client:
        await export(client, tmp_path, formats="csv")
    written = [p.name for p in tmp_path.iterdir()]  # noqa: ASYNC240 - a test's check
    assert sorted(name for name in written if not name.startswith(".")) == [
        "invitees.csv",
        "scheduled_events.csv",
    ]
    rows = csv_rows(tmp_path, "invitees")
    assert list(rows[0]) == list(TABLES["invitees"].column_names)
    assert next(iter(rows[0])) == "uri"
    by_uri = {
        invitee.uri: invitee for per in mock.state.invitees.values() for invitee in per.values()
    }
    assert set(by_uri) == {row["uri"] for row in rows}
    for row in rows:
        invitee = by_uri[row["uri"]]
        assert row["email"] == invitee.email
        assert row["rescheduled"] == ("true" if invitee.rescheduled else "false")
        answers = msgspec.json.decode(row["questions_and_answers"])
        assert answers == msgspec.to_builtins(invitee.questions_and_answers)
        assert row["cancel_reason"] == (
            invitee.cancellation.reason or "" if invitee.cancellation else ""
        )
    events = csv_rows(tmp_path, "scheduled_events")
    memberships = msgspec.json.decode(events[0]["event_memberships"])
    assert isinstance(memberships, list)
    assert memberships[0]["user"].startswith(mock.url)


async def test_sqlite_schema_indexes_and_upsert(mock: MockCalendly, tmp_path: Path) -> None:
    async with client_for(mock) as client:
        await export(client, tmp_path, formats=["sqlite"])
        await export(client, tmp_path, formats=["sqlite"])  # a rerun refreshes, no duplicates
    with sqlite3.connect(tmp_path / "calendly.sqlite") as db:
        columns = db.execute("PRAGMA table_info(invitees)").fetchall()
        assert [c[1] for c in columns] == [*TABLES["invitees"].column_names, "record"]
        assert columns[0][2] == "TEXT"
        assert columns[0][5] == 1
        indexes = {row[1] for row in db.execute("PRAGMA index_list(invitees)")}
        assert "invitees_event" in indexes
        indexes = {row[1] for row in db.execute("PRAGMA index_list(scheduled_events)")}
        assert "scheduled_events_start_time" in indexes
        (count,) = db.execute("SELECT count(*) FROM scheduled_events").fetchone()
        assert count == len(mock.state.events)
        plan = db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM invitees WHERE event = ?", ("x",)
        ).fetchall()
        assert "invitees_event" in str(plan)


async def test_user_scope_and_includes(mock: MockCalendly, tmp_path: Path) -> None:
    member = mock.state.owner.uri
    async with client_for(mock) as client:
        summary = await export(
            client, tmp_path, user=member, include="event_types,memberships", formats="ndjson"
        )
    mine = [
        e for e in mock.state.events.values() if any(m.user == member for m in e.event_memberships)
    ]
    assert {r["uri"] for r in ndjson(tmp_path, "scheduled_events")} == {e.uri for e in mine}
    assert summary.counts["event_types"] == len(ndjson(tmp_path, "event_types")) > 0
    assert summary.counts["organization_memberships"] > 0


async def test_routing_forms_and_submissions(mock: MockCalendly, tmp_path: Path) -> None:
    async with client_for(mock) as client:
        summary = await export(client, tmp_path, include=["routing_forms"], formats="ndjson")
    forms = ndjson(tmp_path, "routing_forms")
    submissions = ndjson(tmp_path, "routing_form_submissions")
    assert {f["uri"] for f in forms} == {f.uri for f in mock.state.routing_forms.values()}
    assert {s["routing_form"] for s in submissions} <= {f["uri"] for f in forms}
    assert summary.counts["routing_form_submissions"] == len(submissions) > 0


async def test_bad_arguments_refused_before_any_request(tmp_path: Path) -> None:
    async with Calendly(token="t", base_url="http://127.0.0.1:9") as client:
        for kwargs in (
            {"formats": "ndjson,xml"},
            {"include": "webhooks"},
            {"concurrency": 0},
            {"windows": 0},
            {"window_attempts": 0},
            {"since": "2030-01-01"},  # naive
            {"since": "2030-02-01T00:00:00Z", "until": "2030-01-01T00:00:00Z"},
            {"organization": None, "user": "USER", "include": "routing_forms"},
            {"organization": "https://api.calendly.com/users/U"},  # not an organization
        ):
            with pytest.raises(InvalidInputError):
                await export(client, tmp_path / "out", **{"organization": "ORG", **kwargs})
    assert not (tmp_path / "out").exists()


# -- unknown fields: an inline server sending what this SDK version does not know --------

EVENT = {
    "uri": "",
    "name": "Future",
    "status": "active",
    "start_time": "2030-01-02T10:00:00.000000Z",
    "end_time": "2030-01-02T10:30:00.000000Z",
    "meeting_notes_plain": None,  # equal to the model's default: still written
    "event_guests": [],
    "brand_new_field": {"nested": [1, 2.5, "x"], "flag": False},
}
INVITEE = {
    "uri": "",
    "email": "a@example.com",
    "status": "active",
    "rescheduled": False,
    "questions_and_answers": [],
    "created_at": "2030-01-01T00:00:00.000000Z",
    "invitee_future_field": "kept",
}


def _app(base: list[str]) -> web.Application:
    async def events(request: web.Request) -> web.Response:
        event = {**EVENT, "uri": f"{base[0]}/scheduled_events/EV1"}
        # Pretty-printed, as a proxy might: lines are re-compacted, values kept.
        body = {"collection": [event], "pagination": {"next_page_token": None}}
        return web.Response(
            body=msgspec.json.format(msgspec.json.encode(body), indent=2),
            content_type="application/json",
        )

    async def invitees(request: web.Request) -> web.Response:
        invitee = {
            **INVITEE,
            "uri": f"{base[0]}/scheduled_events/EV1/invitees/IN1",
            "event": f"{base[0]}/scheduled_events/EV1",
        }
        body = {"collection": [invitee], "pagination": {"next_page_token": None}}
        return web.json_response(body)

    app = web.Application()
    app.router.add_get("/scheduled_events", events)
    app.router.add_get("/scheduled_events/{uuid}/invitees", invitees)
    return app


async def test_unknown_fields_and_defaults_preserved(serve: Any, tmp_path: Path) -> None:
    base: list[str] = []
    base.append(await serve(_app(base)))
    async with Calendly(token="t", base_url=base[0]) as client:
        await export(
            client,
            tmp_path,
            organization=f"{base[0]}/organizations/ORG",
            since="2030-01-01T00:00:00Z",
            until="2030-01-03T00:00:00Z",
        )
    expected_event = {**EVENT, "uri": f"{base[0]}/scheduled_events/EV1"}
    for table, expected in (
        ("scheduled_events", expected_event),
        (
            "invitees",
            {
                **INVITEE,
                "uri": f"{base[0]}/scheduled_events/EV1/invitees/IN1",
                "event": f"{base[0]}/scheduled_events/EV1",
            },
        ),
    ):
        formats = every_format(tmp_path, table)
        assert list(formats["ndjson"].values()) == [expected]
        assert list(formats["sqlite"].values()) == [expected]
    line = (tmp_path / "scheduled_events.ndjson").read_bytes()
    assert line.count(b"\n") == 1
    assert b'"meeting_notes_plain":null' in line
