"""The mock's seeded data: deterministic, varied, and fast enough for 100,000 invitees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest

from calendly_async.errors import InvalidInputError
from calendly_async.mock import MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30)


def clock() -> float:
    return NOW.timestamp()


async def snapshot(**options: Any) -> bytes:
    async with MockCalendly(start=START, clock=clock, **options) as mock:
        data = msgspec.json.encode(mock.state.snapshot())
        return data.replace(mock.url.encode(), b"BASE")


async def test_same_seed_builds_identical_data() -> None:
    first = await snapshot(seed=42, events=80, invitees_per_event=3)
    second = await snapshot(seed=42, events=80, invitees_per_event=3)
    assert first == second
    assert len(first) > 50_000
    assert first != await snapshot(seed=43, events=80, invitees_per_event=3)


async def test_default_start_spans_past_and_future() -> None:
    async with MockCalendly(seed=1, clock=clock) as mock:
        starts = [e.start_time for e in mock.state.events.values()]
        assert min(starts) < NOW < max(starts)
        assert mock.start_time == NOW - timedelta(days=30)


async def test_builds_100k_invitees() -> None:
    # Measured ~1.15 s (2-vCPU VM); the test asserts the count, never the time.
    async with MockCalendly(
        seed=3, start=START, clock=clock, events=20_000, invitees_per_event=5
    ) as mock:
        assert mock.state.invitee_count == 100_000
        assert len(mock.state.events) == 20_000
        assert sum(len(v) for v in mock.state.invitees.values()) == 100_000
        assert len({i.uri for i in mock.state.iter_invitees()}) == 100_000


async def test_seeded_data_covers_the_interesting_cases() -> None:
    async with MockCalendly(
        seed=8, start=START, clock=clock, events=400, invitees_per_event=2
    ) as mock:
        store = mock.state
        memberships = list(store.memberships.values())
        assert memberships[0].role == "owner"
        assert memberships[0].user is not None
        assert memberships[0].user.uri == mock.owner_uri
        events = list(store.events.values())
        assert {e.location.type for e in events if e.location} >= {
            "physical", "zoom", "google_conference", "outbound_call", "custom",
        }  # fmt: skip
        assert {e.status for e in events} == {"active", "canceled"}
        assert all(e.cancellation for e in events if e.status == "canceled")
        assert all(START <= e.start_time < START + timedelta(days=60) for e in events)
        invitees = list(store.iter_invitees())
        assert all(i.questions_and_answers for i in invitees)
        assert any(i.tracking and i.tracking.utm_source for i in invitees)
        assert any(i.payment for i in invitees)
        assert any(i.no_show for i in invitees)
        assert any(i.routing_form_submission for i in invitees)
        assert all(
            i.status == "canceled" for e in events if e.status == "canceled"
            for i in store.invitees[e.uri.rsplit("/", 1)[-1]].values()
        )  # fmt: skip
        for event in events:
            counter = event.invitees_counter
            booked = store.invitees[event.uri.rsplit("/", 1)[-1]].values()
            assert counter is not None
            assert counter.total == len(booked)
            assert counter.active == sum(i.status == "active" for i in booked)
        assert {s.status for s in store.routing_forms.values()} == {"published", "draft"}
        assert store.submissions
        assert all(store.external_busy.values())
        assert {e.namespace for e in store.activity_log.values()} >= {"User", "EventType"}
        assert any(not et.active for et in store.event_types.values())
        assert {i.status for i in store.invitations.values()} == {"pending", "accepted", "declined"}


@pytest.mark.parametrize(
    "bad",
    [
        {"users": 0},
        {"event_types": 0},
        {"events": -1},
        {"invitees_per_event": 0},
        {"days": 0},
        {"start": datetime(2030, 1, 1)},
        {"rate_limit": 0},
        {"users": True},
    ],
)
def test_invalid_configuration_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        MockCalendly(**bad)


async def test_repr_and_token_stay_private() -> None:
    async with MockCalendly(events=1, token="tok_SECRET_mock") as mock:
        assert mock.token == "tok_SECRET_mock"
        assert "SECRET" not in repr(mock)
        assert mock.url in repr(mock)


async def test_helpers_validate_their_input() -> None:
    async with MockCalendly(events=2, start=START, clock=clock) as mock:
        form = next(iter(mock.state.routing_forms))
        with pytest.raises(InvalidInputError, match="question"):
            mock.submit_routing_form(form, {"Favourite colour": "blue"})
        event_type = next(iter(mock.state.event_types))
        with pytest.raises(InvalidInputError, match="aware"):
            mock.book(event_type, datetime(2030, 2, 1), "a@example.com", "A")
        with pytest.raises(InvalidInputError, match="email"):
            mock.book(event_type, NOW, "not-an-email", "A")


def test_uris_need_a_started_mock() -> None:
    mock = MockCalendly(events=0)
    with pytest.raises(RuntimeError, match="not started"):
        _ = mock.organization_uri
    with pytest.raises(RuntimeError, match="not started"):
        _ = mock.owner_uri
