"""Ill-typed arguments to the teams, contacts, custom-field, contact-list, note and
meeting-recap calls are ``InvalidInputError`` before anything is sent (issue 7's rule,
applied to the areas of issue 10): checked with ``aioresponses`` and over loopback
against a server that counts requests."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve
from helpers import TOKEN, assert_refused

from calendly_async import Calendly, InvalidInputError

Case = Callable[[Calendly], Any]
C = "CCCCCCCCCCCCCCCC"

CASES: dict[str, Case] = {
    "teams user int": lambda c: c.teams.list(user=5),
    "teams get bytes": lambda c: c.teams.get(b"T"),
    "contacts email int": lambda c: c.contacts.list(email=5),
    "contacts city list of ints": lambda c: c.contacts.list(city=[1]),
    "contacts sort typo": lambda c: c.contacts.list(sort="created:asc"),
    "contacts exclude list": lambda c: c.contacts.list(exclude=["custom_fields"]),
    "contacts count str": lambda c: c.contacts.list(count="5"),
    "contacts create name int": lambda c: c.contacts.create(5, "a@example.com"),
    "contacts create emails dict": lambda c: c.contacts.create("A", {"email": "a@x.example"}),
    "contacts create is_primary str": lambda c: c.contacts.create(
        "A", [{"email": "a@example.com", "is_primary": "yes"}]
    ),
    "contacts create phone int": lambda c: c.contacts.create("A", "a@example.com",
                                                             phone_numbers=[5]),
    "contacts create custom_fields list": lambda c: c.contacts.create(
        "A", "a@example.com", custom_fields=[("F", 1)]
    ),
    "contacts create custom field key int": lambda c: c.contacts.create(
        "A", "a@example.com", custom_fields={5: "x"}
    ),
    "contacts create custom field bytes": lambda c: c.contacts.create(
        "A", "a@example.com", custom_fields={"F": b"x"}
    ),
    "contacts update city int": lambda c: c.contacts.update(C, city=5),
    "contacts update timezone int": lambda c: c.contacts.update(C, timezone=5),
    "contacts get exclude typo": lambda c: c.contacts.get(C, exclude="custom_field"),
    "custom field type typo": lambda c: c.contact_custom_fields.create("L", "integer"),
    "custom field label int": lambda c: c.contact_custom_fields.create(5, "text"),
    "custom field options str": lambda c: c.contact_custom_fields.create(
        "L", "single_select", options="a,b"
    ),
    "custom field currency int": lambda c: c.contact_custom_fields.create(
        "L", "currency", currency=978
    ),
    "lists type typo": lambda c: c.contact_lists.list(type="static"),
    "lists create contacts int": lambda c: c.contact_lists.create("L", contacts=5),
    "lists rename int": lambda c: c.contact_lists.update("L1", name=5),
    "lists add contacts dict": lambda c: c.contact_lists.add_contacts("L1", {"c": 1}),
    "notes contact int": lambda c: c.notes.list(5),
    "notes title int": lambda c: c.notes.create(C, title=5),
    "notes remind_at int": lambda c: c.notes.create(C, title="t", remind_at=5),
    "notes remind_at overflow": lambda c: c.notes.create(
        C, title="t", remind_at="0001-01-01T00:00:00+05:00"
    ),
    "recaps status typo": lambda c: c.meeting_recaps.list(status="Available"),
    "recaps attendee int": lambda c: c.meeting_recaps.list(attendee=5),
    "recaps start_time int": lambda c: c.meeting_recaps.list(start_time=5),
    "recaps end_time overflow": lambda c: c.meeting_recaps.list(
        end_time="9999-12-31T23:59:59-05:00"
    ),
    "recaps update bytes": lambda c: c.meeting_recaps.update("R1", summary_md=b"x"),
    "recaps transcript int": lambda c: c.meeting_recaps.transcript(5),
}  # fmt: skip


async def _run(client: Calendly, case: Case) -> None:
    result = case(client)
    if inspect.isawaitable(result):
        await result
    elif hasattr(result, "collect"):
        await result.collect()


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_ill_typed_argument_is_refused_before_sending(
    client: Calendly, api: aioresponses, case: Case
) -> None:
    await assert_refused(client, api, lambda c: _run(c, case))


async def test_every_case_sends_nothing_over_loopback(serve: Serve) -> None:
    hits: list[str] = []

    async def count(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.json_response({"collection": [], "pagination": {}})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", count)
    url = await serve(app)
    refused = 0
    async with Calendly(token=TOKEN, base_url=url) as client:
        for case in CASES.values():
            with pytest.raises(InvalidInputError):
                await _run(client, case)
            refused += 1
    assert refused == len(CASES)
    assert hits == []
