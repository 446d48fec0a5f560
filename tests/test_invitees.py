"""client.invitees: list and get, the seed payloads, payment/no-show variants, loopback paging."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, assert_round_trips, fixture, page_body

from calendly_async import Calendly, InvalidInputError, NotFoundError
from calendly_async.models.invitees import Invitee, Payment

EVENT = "AAAAAAAAAAAAAAAA"
INVITEES = re.compile(rf"^{re.escape(BASE)}/scheduled_events/{EVENT}/invitees(\?.*)?$")


async def test_list_sends_path_and_filters(client: Calendly, api: aioresponses) -> None:
    api.get(INVITEES, payload=page_body(fixture("list_event_invitees")))
    invitees = await client.invitees.list(
        f"{BASE}/scheduled_events/{EVENT}",
        status="canceled",
        sort="created_at:desc",
        email="test@example.com",
        count=10,
    ).collect()
    assert [i.email for i in invitees] == ["test@example.com"]
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", f"/scheduled_events/{EVENT}/invitees")
    assert kwargs["params"] == {
        "status": "canceled",
        "sort": "created_at:desc",
        "email": "test@example.com",
        "count": "10",
    }


async def test_list_fixture_round_trips(client: Calendly, api: aioresponses) -> None:
    payload = fixture("list_event_invitees")
    api.get(INVITEES, payload=page_body(payload))
    invitees = await client.invitees.list(EVENT).collect()
    assert len(invitees) == len(payload)
    for original, invitee in zip(payload, invitees, strict=True):
        assert isinstance(invitee, Invitee)
        assert_round_trips(original, invitee)


async def test_get_fixture_round_trips(client: Calendly, api: aioresponses) -> None:
    payload = fixture("get_event_invitee")
    api.get(f"{BASE}/scheduled_events/{EVENT}/invitees/INV1", payload=payload)
    invitee = await client.invitees.get(EVENT, "INV1")
    assert invitee.payment == Payment(
        external_id="ch_AAAAAAAAAAAAAAAAAAAAAAAA",
        provider="stripe",
        amount=1234.56,
        currency="USD",
        terms="sample terms of payment (up to 1,024 characters)",
        successful=True,
    )
    assert invitee.reconfirmation is not None
    assert invitee.reconfirmation.confirmed_at == datetime(2020, 11, 23, 20, 1, 18, 341657, UTC)
    assert [q.position for q in invitee.questions_and_answers] == [0, 1, 2]
    assert_round_trips(payload["resource"], invitee)


async def test_get_accepts_full_uris_for_both_arguments(
    client: Calendly, api: aioresponses
) -> None:
    api.get(f"{BASE}/scheduled_events/{EVENT}/invitees/INV2", payload=fixture("get_event_invitee"))
    await client.invitees.get(
        f"{BASE}/scheduled_events/{EVENT}", f"{BASE}/scheduled_events/{EVENT}/invitees/INV2"
    )
    assert [u for _, u, _ in sent(api)] == [f"{BASE}/scheduled_events/{EVENT}/invitees/INV2"]


@pytest.mark.parametrize(
    ("event", "invitee"),
    [
        ("", "INV1"),
        (EVENT, ""),
        (f"{BASE}/users/{EVENT}", "INV1"),
        (EVENT, f"{BASE}/scheduled_events/{EVENT}"),
        (EVENT, "not/a/uri"),
    ],
)
async def test_get_refuses_malformed_identifiers(
    client: Calendly, api: aioresponses, event: str, invitee: str
) -> None:
    with pytest.raises(InvalidInputError):
        await client.invitees.get(event, invitee)
    assert sent(api) == []


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(("",), {}), ((f"{BASE}/event_types/{EVENT}",), {}), ((EVENT,), {"count": 500})],
)
async def test_list_refuses_bad_input_before_sending(
    client: Calendly, api: aioresponses, args: tuple[str, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        client.invitees.list(*args, **kwargs)
    assert sent(api) == []


def _decode(raw: dict[str, Any]) -> Invitee:
    return msgspec.json.decode(msgspec.json.encode(raw), type=Invitee)


def test_payment_amount_may_be_a_string_as_in_the_current_spec() -> None:
    raw = fixture("get_event_invitee")["resource"]
    raw["payment"]["amount"] = "1234.56"
    invitee = _decode(raw)
    assert invitee.payment is not None
    assert invitee.payment.amount == "1234.56"
    assert_round_trips(raw, invitee)


def test_canceled_no_show_invitee_scheduled_by_api_decodes() -> None:
    raw = fixture("get_event_invitee")["resource"]
    raw.update(
        status="canceled",
        cancellation={"canceled_by": "Ann", "reason": None, "canceler_type": "invitee"},
        no_show={"uri": f"{BASE}/invitee_no_shows/NS1", "created_at": "2020-01-01T00:00:00Z"},
        scheduling_method="api",
        invitee_scheduled_by=f"{BASE}/users/U1",
        payment=None,
        reconfirmation=None,
        some_future_field=[1, 2, 3],
    )
    invitee = _decode(raw)
    assert invitee.cancellation is not None
    assert invitee.cancellation.canceler_type == "invitee"
    assert invitee.no_show is not None
    assert invitee.no_show.uri == f"{BASE}/invitee_no_shows/NS1"
    assert (invitee.scheduling_method, invitee.payment) == ("api", None)


async def test_get_404_raises_not_found(client: Calendly, api: aioresponses) -> None:
    api.get(
        f"{BASE}/scheduled_events/{EVENT}/invitees/GONE",
        status=404,
        payload={"title": "Resource Not Found", "message": "The server could not find it"},
    )
    with pytest.raises(NotFoundError, match="could not find"):
        await client.invitees.get(EVENT, "GONE")


async def test_list_over_loopback_walks_every_page(serve: Serve) -> None:
    item = fixture("list_event_invitees")[0]
    seen: list[tuple[str, str | None, str | None]] = []

    async def handler(request: web.Request) -> web.Response:
        token = request.query.get("page_token")
        seen.append((request.match_info["uuid"], token, request.query.get("status")))
        emails = {None: ["a@x.io", "b@x.io"], "t2": ["c@x.io"]}[token]
        body = page_body([{**item, "email": e} for e in emails], "t2" if token is None else None)
        return web.json_response(body)

    app = web.Application()
    app.router.add_get("/scheduled_events/{uuid}/invitees", handler)
    url = await serve(app)
    async with Calendly(token=TOKEN, base_url=url) as client:
        pages = [
            [i.email for i in page]
            async for page in client.invitees.list(
                f"{url}/scheduled_events/EV9", status="active", count=2
            ).pages()
        ]
    assert pages == [["a@x.io", "b@x.io"], ["c@x.io"]]
    assert seen == [("EV9", None, "active"), ("EV9", "t2", "active")]
