"""``calendly-async availability slots|free`` against the embedded mock over loopback."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from calendly_async import Calendly
from calendly_async.cli import main
from calendly_async.jobs import free_time, open_slots
from calendly_async.mock import MockCalendly

START = (datetime.now(UTC) + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
END = START + timedelta(days=3)


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(seed=5, users=4, events=120) as server:
        yield server


async def cli(
    capsys: pytest.CaptureFixture[str], mock: MockCalendly, *args: str
) -> tuple[int, str, str]:
    """Run the command in a worker thread (it runs its own event loop) against ``mock``."""
    argv = ["--token", mock.token, "--base-url", mock.url, "availability", *args]
    code = await asyncio.to_thread(main, argv)
    out, err = capsys.readouterr()
    return code, out, err


def lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def users(mock: MockCalendly) -> list[str]:
    return [user.uri for user in mock.state.users.values()]


async def test_slots_json_lines_are_the_jobs_slots(
    capsys: pytest.CaptureFixture[str], mock: MockCalendly
) -> None:
    chosen = [uri for uri, et in mock.state.event_types.items() if et.active][:2]
    code, out, err = await cli(
        capsys, mock, "slots", "--event-type", chosen[0], "--event-type", chosen[1],
        "--start", z(START), "--end", z(END), "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        found = await open_slots(client, event_types=chosen, start=START, end=END)
    expected = [
        {
            "event_type": slot.event_type,
            "start_time": z(slot.start_time),
            "scheduling_url": slot.scheduling_url,
            "invitees_remaining": slot.invitees_remaining,
        }
        for slot in found.slots
    ]
    assert lines(out) == expected
    assert expected


async def test_slots_table_groups_by_day_in_the_users_timezone(
    capsys: pytest.CaptureFixture[str], mock: MockCalendly
) -> None:
    owner = users(mock)[0]
    code, out, _ = await cli(
        capsys, mock, "slots", "--user", "me", "--start", z(START), "--end", z(END)
    )
    assert code == 0
    zone = ZoneInfo(mock.state.owner.timezone or "UTC")
    assert f"({zone.key})" in out.splitlines()[0]
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        found = await open_slots(client, user=owner, start=START, end=END)
    day = None
    rows = []
    for line in out.splitlines()[1:]:
        if re.match(r"^[A-Z][a-z]+day \d{4}-\d{2}-\d{2}$", line):
            day = line.split()[1]
        elif line.startswith("  "):
            rows.append((day, line.split()[0], line.split()[1]))
    expected = [
        (
            f"{slot.start_time.astimezone(zone):%Y-%m-%d}",
            f"{slot.start_time.astimezone(zone):%H:%M}",
            slot.event_type.rsplit("/", 1)[-1],
        )
        for slot in found.slots
    ]
    assert rows == expected
    assert rows


async def test_free_json_lines_are_the_common_free_time(
    capsys: pytest.CaptureFixture[str], mock: MockCalendly
) -> None:
    first, second = users(mock)[:2]
    code, out, err = await cli(
        capsys, mock, "free", "--user", first, "--user", second, "--duration", "45",
        "--start", z(START), "--end", z(END), "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        found = await free_time(
            client, [first, second], min_duration=timedelta(minutes=45), start=START, end=END
        )
    assert lines(out) == [{"start": z(i.start), "end": z(i.end)} for i in found.intervals]
    assert all(i.end - i.start >= timedelta(minutes=45) for i in found.intervals)


async def test_free_table_defaults_to_the_first_users_timezone(
    capsys: pytest.CaptureFixture[str], mock: MockCalendly
) -> None:
    los_angeles = list(mock.state.users.values())[3]
    assert los_angeles.timezone == "America/Los_Angeles"
    code, out, _ = await cli(
        capsys, mock, "free", "--user", los_angeles.uri, "--user", "me", "--duration", "30",
        "--start", z(START), "--days", "3",
    )  # fmt: skip
    assert code == 0
    header = out.splitlines()[0]
    assert header.startswith("Free time of 2 users, together, at least 30 min")
    assert header.endswith("(America/Los_Angeles)")
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        me = (await client.users.me()).uri
        found = await free_time(
            client, [los_angeles.uri, me], min_duration=timedelta(minutes=30), start=START, days=3
        )
    zone = ZoneInfo("America/Los_Angeles")
    body = [line.split()[0] for line in out.splitlines()[1:] if line.startswith("  ")]
    expected = []
    for period in found.intervals:
        start, end = period.start.astimezone(zone), period.end.astimezone(zone)
        until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %H:%M}"
        expected.append(f"{start:%H:%M}-{until}".split()[0])
    assert body == expected
    assert body


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["free", "--user", "me", "--duration", "0"], "--duration must be a positive"),
        (["free", "--user", "me", "--duration", "30", "--tz", "Mars/Base"], "IANA timezone"),
        (["slots", "--user", "me", "--start", "2027-03-10T09:00:00"], "has no timezone"),
        (["slots", "--user", "me", "--days", "0"], "days must be a positive integer"),
        (["slots", "--event-type", "bad uuid!"], "not a valid UUID"),
        (["slots", "--user", "me", "--end", "2020-01-01T00:00:00Z"], "must be after start"),
        (["slots", "--user", "me", "--concurrency", "0"], "max_concurrency must be a positive"),
    ],
)
async def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], mock: MockCalendly, args: list[str], message: str
) -> None:
    code, out, err = await cli(capsys, mock, *args)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("calendly-async: error: ")
    assert message in err


async def test_slots_needs_exactly_one_source(
    capsys: pytest.CaptureFixture[str], mock: MockCalendly
) -> None:
    for args in (["slots"], ["slots", "--user", "me", "--organization", "O"]):
        with pytest.raises(SystemExit) as exit_info:
            await cli(capsys, mock, *args)
        assert exit_info.value.code == 2
    assert "one of the arguments --event-type --user --organization is required" in (
        capsys.readouterr().err
    )
