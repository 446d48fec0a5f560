"""client.contact_lists: Lists and Views of contacts (reference §6.12, release notes
2026-11-17): requests sent, answers decoded in either documented shape, bad input
refused, and the mock server's lists through the SDK over loopback."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from aioresponses import aioresponses
from conftest import sent
from helpers import BASE, assert_refused, assert_round_trips, resource_body

from calendly_async import Calendly, ConflictError, ContactList, NotFoundError
from calendly_async.mock import MockCalendly

LISTS = re.compile(rf"^{re.escape(BASE)}/contact_lists(\?.*)?$")
LIST_URI = f"{BASE}/contact_lists/LLLLLLLLLLLLLLLL"
C1, C2 = f"{BASE}/contacts/C1C1C1C1C1C1C1C1", f"{BASE}/contacts/C2C2C2C2C2C2C2C2"
TIME = "2026-11-17T03:04:05.678123Z"
STATIC: dict[str, Any] = {
    "uri": LIST_URI,
    "name": "Hot leads",
    "type": "static_list",
    "contact_count": 2,
    "created_at": TIME,
    "updated_at": TIME,
}
VIEW: dict[str, Any] = {**STATIC, "uri": f"{BASE}/contact_lists/VVVV", "name": "Berlin",
                        "type": "dynamic_view", "contact_count": None}  # fmt: skip
RESULT: dict[str, Any] = {"added": 1, "invalid": 1, "invalid_contacts": [C2]}


def body(kwargs: dict[str, Any]) -> Any:
    return msgspec.json.decode(kwargs["data"])


async def test_list_sends_type_and_decodes_the_single_answer(
    client: Calendly, api: aioresponses
) -> None:
    pagination = {"count": 2, "next_page": None, "previous_page": None,
                  "next_page_token": None, "previous_page_token": None}  # fmt: skip
    api.get(LISTS, payload={"collection": [STATIC, VIEW], "pagination": pagination})
    api.get(LISTS, payload={"collection": [VIEW]})
    found = await client.contact_lists.list()
    assert [c.type for c in found] == ["static_list", "dynamic_view"]
    assert_round_trips(STATIC, found[0])
    assert [v.contact_count for v in await client.contact_lists.list(type="dynamic_view")] == [None]
    (first, second) = sent(api)
    assert (first[0], urlsplit(first[1]).path) == ("GET", "/contact_lists")
    assert not first[2]["params"]
    assert second[2]["params"] == {"type": "dynamic_view"}


async def test_get_and_rename(client: Calendly, api: aioresponses) -> None:
    api.get(LIST_URI, payload=resource_body(STATIC))
    api.patch(LIST_URI, payload=resource_body({**STATIC, "name": "Warm"}))
    assert isinstance(await client.contact_lists.get("LLLLLLLLLLLLLLLL"), ContactList)
    assert (await client.contact_lists.update(LIST_URI, name=" Warm ")).name == "Warm"
    (get, patch) = sent(api)
    assert (get[0], get[1]) == ("GET", LIST_URI)
    assert (patch[0], patch[1], body(patch[2])) == ("PATCH", LIST_URI, {"name": "Warm"})


@pytest.mark.parametrize(
    "answer",
    [
        {"resource": {**STATIC, "membership_result": RESULT}},
        {"resource": STATIC, "membership_result": RESULT},
    ],
)
async def test_create_posts_name_and_contact_uris_and_reads_either_shape(
    client: Calendly, api: aioresponses, answer: dict[str, Any]
) -> None:
    api.post(f"{BASE}/contact_lists", status=201, payload=answer)
    created = await client.contact_lists.create("Hot leads", contacts=["C1C1C1C1C1C1C1C1", C2])
    assert created.membership_result is not None
    assert created.membership_result.added == 1
    assert created.membership_result.not_processed == [C2]
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{BASE}/contact_lists")
    assert body(kwargs) == {"name": "Hot leads", "contacts": [C1, C2]}


@pytest.mark.parametrize(
    "answer",
    [
        {"resource": {"removed": 2, "invalid": 0}},
        {"membership_result": {"removed": 2, "invalid": 0}},
        {"removed": 2, "invalid": 0},
    ],
)
async def test_add_and_remove_post_contact_uris(
    client: Calendly, api: aioresponses, answer: dict[str, Any]
) -> None:
    api.post(f"{LIST_URI}/memberships", payload={"resource": {"added": 2, "failed": [C2]}})
    api.post(f"{LIST_URI}/memberships/removal", payload=answer)
    added = await client.contact_lists.add_contacts(LIST_URI, [C1, C2])
    assert (added.added, added.not_processed) == (2, [C2])
    removed = await client.contact_lists.remove_contacts("LLLLLLLLLLLLLLLL", C1)
    assert (removed.removed, removed.invalid) == (2, 0)
    (add, remove) = sent(api)
    assert (add[0], add[1], body(add[2])) == ("POST", f"{LIST_URI}/memberships",
                                              {"contacts": [C1, C2]})  # fmt: skip
    assert (remove[0], remove[1], body(remove[2])) == (
        "POST", f"{LIST_URI}/memberships/removal", {"contacts": [C1]},
    )  # fmt: skip


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.contact_lists.list(type="smart_list"),
        lambda c: c.contact_lists.create(""),
        lambda c: c.contact_lists.create("X", contacts=[f"C{i:04d}" for i in range(501)]),
        lambda c: c.contact_lists.create("X", contacts=[f"{BASE}/notes/N1"]),
        lambda c: c.contact_lists.update(LIST_URI, name="  "),
        lambda c: c.contact_lists.add_contacts(LIST_URI, []),
        lambda c: c.contact_lists.remove_contacts(f"{BASE}/contacts/C1", [C1]),
        lambda c: c.contact_lists.get("bad uuid"),
    ],
)
async def test_bad_input_is_refused_before_sending(
    client: Calendly, api: aioresponses, call: Any
) -> None:
    await assert_refused(client, api, call)


# -- against the mock server (loopback) ----------------------------------------------------


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    start = datetime(2030, 1, 1, tzinfo=UTC)
    async with MockCalendly(seed=11, start=start, events=30) as server:
        yield server


async def test_mock_lists_views_and_lists(sdk: Calendly, mock: MockCalendly) -> None:
    every = await sdk.contact_lists.list()
    assert [(c.name, c.type) for c in every] == [("Hot leads", "static_list"),
                                                 ("Berlin", "dynamic_view")]  # fmt: skip
    assert every[0].contact_count == 3
    assert every[1].contact_count is None
    assert [c.name for c in await sdk.contact_lists.list(type="static_list")] == ["Hot leads"]
    view_members = await sdk.contacts.list(contact_list=every[1].uri).collect()
    stored = mock.state.crm.contacts.values()
    assert {c.uri for c in view_members} == {c.uri for c in stored if c.city == "Berlin"}


async def test_mock_list_membership_round_trip(sdk: Calendly, mock: MockCalendly) -> None:
    contacts = [c.uri for c in mock.state.crm.contacts.values()]
    missing = f"{mock.url}/contacts/GONEGONEGONEGONE"
    created = await sdk.contact_lists.create("Follow up", contacts=[contacts[0], missing])
    result = created.membership_result
    assert result is not None
    assert (result.added, result.not_processed) == (1, [missing])
    assert created.contact_count == 1
    again = await sdk.contact_lists.add_contacts(created.uri, contacts[:3])
    assert again.added == 2  # idempotent: the first was already on the List
    members = await sdk.contacts.list(contact_list=created.uri, count=2).collect()
    assert [c.uri for c in members] == contacts[:3]
    removed = await sdk.contact_lists.remove_contacts(created.uri, [contacts[1], contacts[1]])
    assert removed.removed == 1
    assert (await sdk.contact_lists.get(created.uri)).contact_count == 2
    assert contacts[1].rsplit("/", 1)[-1] in mock.state.crm.contacts  # not deleted
    renamed = await sdk.contact_lists.update(created.uri, name="Call back")
    assert renamed.name == "Call back"
    assert (await sdk.contact_lists.get(created.uri)).name == "Call back"


async def test_mock_refuses_views_duplicates_and_unknown_lists(
    sdk: Calendly, mock: MockCalendly
) -> None:
    view = next(c for c in await sdk.contact_lists.list() if c.type == "dynamic_view")
    contact = next(iter(mock.state.crm.contacts.values())).uri
    with pytest.raises(ConflictError):
        await sdk.contact_lists.add_contacts(view.uri, contact)
    with pytest.raises(ConflictError):
        await sdk.contact_lists.create(" HOT LEADS ")
    with pytest.raises(NotFoundError):
        await sdk.contact_lists.get("NOSUCHLIST")
    for index in range(23):
        await sdk.contact_lists.create(f"List {index}")
    with pytest.raises(ConflictError):
        await sdk.contact_lists.create("One too many")
    assert len(await sdk.contact_lists.list()) == 25
