"""The mock server's contract for the newer areas (teams, contacts, custom fields, contact
lists, notes, meeting recaps), route by route with raw aiohttp requests over loopback:
Calendly's status codes (200 reads and updates, 201 creations, 204 deletions), envelopes
(``{resource}``, paginated ``{collection, pagination}``, the unpaginated custom-field
``{collection}``), rate-limit headers and error bodies (reference §1-§4, §6.11, §6.12)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from helpers import call
from test_mock_contract import assert_envelope, assert_error_body, assert_rate_headers

from calendly_async.mock import MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    now = (START + timedelta(days=40)).timestamp()
    async with MockCalendly(seed=29, start=START, events=40, clock=lambda: now) as server:
        yield server


@pytest.fixture
async def http(mock: MockCalendly) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as session:
        yield session


def _uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def _cases(mock: MockCalendly) -> list[tuple[Any, ...]]:
    crm = mock.state.crm
    team = next(iter(crm.teams))
    contact_uri = next(iter(crm.contacts.values())).uri
    contact = _uuid(contact_uri)
    field = next(iter(crm.field_definitions))
    static = next(k for k, v in crm.contact_lists.items() if v.type == "static_list")
    note = next(iter(crm.notes))
    recap = next(k for k, v in crm.recaps.items() if v.status == "Available")
    new_contact = {"name": "Contract", "emails": [{"email": "c@example.com", "is_primary": True}]}
    members = {"contacts": [contact_uri]}
    return [
        ("GET", "/teams", {"user": mock.owner_uri}, None, 200, "page"),
        ("GET", f"/teams/{team}", None, None, 200, "resource"),
        ("GET", "/contacts", {"company": "o", "count": "5"}, None, 200, "page"),
        ("POST", "/contacts", None, new_contact, 201, "resource"),
        ("GET", f"/contacts/{contact}", {"exclude": "custom_fields"}, None, 200, "resource"),
        ("PATCH", f"/contacts/{contact}", None, {"city": "Rome"}, 200, "resource"),
        ("GET", "/contacts/custom_field_definitions", None, None, 200, "list"),
        ("GET", f"/contacts/custom_field_definitions/{field}", None, None, 200, "resource"),
        ("POST", "/contacts/custom_field_definitions", None,
         {"label": "Contract", "field_type": "date"}, 201, "resource"),
        ("GET", "/contact_lists", {"type": "static_list"}, None, 200, "page"),
        ("POST", "/contact_lists", None, {"name": "Contract", **members}, 201, "resource"),
        ("GET", f"/contact_lists/{static}", None, None, 200, "resource"),
        ("PATCH", f"/contact_lists/{static}", None, {"name": "Renamed"}, 200, "resource"),
        ("POST", f"/contact_lists/{static}/memberships", None, members, 200, "resource"),
        ("POST", f"/contact_lists/{static}/memberships/removal", None, members, 200, "resource"),
        ("GET", "/notes", {"contact": contact_uri}, None, 200, "page"),
        ("POST", "/notes", None, {"contact": contact_uri, "body": "Hi"}, 201, "resource"),
        ("GET", f"/notes/{note}", None, None, 200, "resource"),
        ("GET", "/meeting_recaps", {"status": "available"}, None, 200, "page"),
        ("GET", f"/meeting_recaps/{recap}", None, None, 200, "resource"),
        ("PATCH", f"/meeting_recaps/{recap}", None, {"summary_md": None}, 200, "resource"),
        ("GET", f"/meeting_recaps/{recap}/transcript", None, None, 200, "resource"),
        ("DELETE", f"/meeting_recaps/{recap}", None, None, 204, "empty"),
        ("DELETE", f"/contacts/{contact}", None, None, 204, "empty"),
    ]  # fmt: skip


async def test_every_new_route_answers_with_calendly_status_envelope_and_headers(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    cases = _cases(mock)
    assert len({(c[0], c[1]) for c in cases}) == 24  # one case per new operation
    for method, path, params, json, status, envelope in cases:
        answer = await call(http, mock, method, path, params, json)
        assert answer.status == status, (method, path, answer.body)
        assert_envelope(answer, envelope)
        assert_rate_headers(answer)
    # Contact lists come in one answer: pagination.count is the number, the rest null.
    every = await call(http, mock, "GET", "/contact_lists")
    pagination = every.body["pagination"]
    assert pagination["count"] == len(every.body["collection"])
    assert {k: v for k, v in pagination.items() if k != "count"} == dict.fromkeys(
        ("next_page", "previous_page", "next_page_token", "previous_page_token")
    )


async def test_new_routes_answer_errors_in_calendly_shape(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    contact = next(iter(mock.state.crm.contacts.values())).uri
    cases = [
        (await call(http, mock, "GET", "/notes"), 400),
        (await call(http, mock, "GET", "/notes", {"contact": contact, "sort": "x"}), 400),
        (await call(http, mock, "POST", "/contacts", json={"name": "No email"}), 400),
        (await call(http, mock, "POST", "/contacts", json={"name": "X", "emails": [],
                                                           "color": 1}), 400),
        (await call(http, mock, "GET", "/contacts", {"exclude": "emails"}), 400),
        (await call(http, mock, "GET", "/contacts", {"count": "101"}), 400),
        (await call(http, mock, "GET", "/meeting_recaps", {"status": "done"}), 400),
        (await call(http, mock, "PATCH", "/meeting_recaps/X", json={"name": "n"}), 404),
        (await call(http, mock, "GET", "/teams/NOPE"), 404),
        (await call(http, mock, "GET", "/contacts/NOPE"), 404),
        (await call(http, mock, "GET", "/contact_lists/NOPE"), 404),
        (await call(http, mock, "GET", "/teams", {"user": "https://x/users/STRANGER"}), 403),
    ]  # fmt: skip
    for answer, status in cases:
        assert answer.status == status, answer.body
        assert_error_body(answer)
        assert_rate_headers(answer)
