"""``calendly-async webhooks list|create|delete|listen`` in a subprocess against the mock."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import signal
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
from test_cli import SCRIPT, run_cli

from calendly_async import Calendly
from calendly_async.mock import MockCalendly

KEY = "cli_SECRET_signing_key"


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(seed=3, events=20, webhook_retry_delays=(0.0,)) as server:
        yield server


async def test_create_list_delete_round_trip(mock: MockCalendly) -> None:
    auth = ["--token", mock.token, "--base-url", mock.url]
    code, out, err = await run_cli(
        *auth, "webhooks", "create", "https://hooks.example/calendly",
        "--event", "invitee.created", "--event", "invitee.canceled", "--signing-key", KEY,
    )
    assert (code, err) == (0, "")
    created = json.loads(out)
    assert created["callback_url"] == "https://hooks.example/calendly"
    assert sorted(created["events"]) == ["invitee.canceled", "invitee.created"]
    assert created["organization"] == mock.organization_uri
    assert KEY not in out

    code, out, err = await run_cli(*auth, "webhooks", "list")
    assert (code, err) == (0, "")
    assert [s["uri"] for s in json.loads(out)] == [created["uri"]]

    code, out, err = await run_cli(*auth, "webhooks", "delete", created["uri"])
    assert (code, err) == (0, "")
    code, out, _ = await run_cli(*auth, "webhooks", "list")
    assert json.loads(out) == []


async def test_create_refuses_a_bad_url_before_sending(mock: MockCalendly) -> None:
    code, out, err = await run_cli(
        "--token", mock.token, "--base-url", mock.url,
        "webhooks", "create", "not-a-url", "--event", "invitee.created",
    )
    assert code == 2
    assert out == ""
    assert "url" in err
    assert "Traceback" not in err


async def test_listen_prints_verified_deliveries_as_json_lines(mock: MockCalendly) -> None:
    process = await asyncio.create_subprocess_exec(
        str(SCRIPT), "webhooks", "listen", "--port", "0", "--signing-key", KEY,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    try:
        banner = (await asyncio.wait_for(process.stderr.readline(), 60)).decode()
        callback = banner.rsplit(" ", 1)[1].strip()

        # A forged delivery (wrong key) is refused and never printed.
        body = b'{"event":"invitee.created","created_at":"2030-01-01T00:00:00Z",' \
               b'"created_by":"x","payload":{"uri":"forged"}}'
        t = str(int(time.time()))
        forged = hmac.new(b"wrong", f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        headers = {"Calendly-Webhook-Signature": f"t={t},v1={forged}"}
        async with (
            aiohttp.ClientSession() as session,
            session.post(callback, data=body, headers=headers) as response,
        ):
            assert response.status == 403

        async with Calendly(token=mock.token, base_url=mock.url) as client:
            await client.webhooks.create(
                callback, ["invitee.canceled"], mock.organization_uri, "organization",
                signing_key=KEY,
            )
            events = await client.scheduled_events.list(
                organization=mock.organization_uri, status="active",
                min_start_time=datetime.now(UTC),
            ).collect()
            for event in events:
                invitees = await client.invitees.list(event.uri).collect()
                if invitees:
                    break
            else:
                raise AssertionError("no upcoming event with invitees in the seeded mock")
            await client.scheduled_events.cancel(event.uri, reason="cli listen test")
        await mock.deliverer.drain()

        lines = []
        for _ in invitees:
            line = await asyncio.wait_for(process.stdout.readline(), 30)
            lines.append(json.loads(line))
        assert {line["event"] for line in lines} == {"invitee.canceled"}
        assert {line["payload"]["uri"] for line in lines} == {i.uri for i in invitees}
        assert all(line["payload"]["scheduled_event"]["uri"] == event.uri for line in lines)
        assert all(r.delivered for r in mock.deliverer.records)
    finally:
        process.send_signal(signal.SIGINT)
        code = await asyncio.wait_for(process.wait(), 30)
    assert code == 0
    remaining = (await process.stdout.read()).decode()
    assert "forged" not in remaining
    assert KEY not in remaining
