"""Groups and group relationships: requests sent, payloads decoded, and the mock
server's groups through the SDK over loopback (reference §6.3)."""

from __future__ import annotations

import copy
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from aioresponses import aioresponses
from conftest import sent
from helpers import BASE, assert_round_trips, page_body, resource_body

from calendly_async import Calendly, InvalidInputError, NotFoundError, PermissionDeniedError
from calendly_async.mock import MockCalendly
from calendly_async.models.groups import Group, GroupRelationship, GroupRelationshipOwner
from calendly_async.models.users import User
from calendly_async.resources.groups import GroupRelationships, Groups

ORG = f"{BASE}/organizations/AAAAAAAAAAAAAAAA"
GROUPS = re.compile(rf"^{re.escape(BASE)}/groups(\?.*)?$")
RELATIONSHIPS = re.compile(rf"^{re.escape(BASE)}/group_relationships(\?.*)?$")
TIME = "2024-01-02T03:04:05.678123Z"

GROUP: dict[str, Any] = {
    "uri": f"{BASE}/groups/GGGGGGGGGGGGGGGG",
    "name": "Sales",
    "organization": ORG,
    "created_at": TIME,
    "updated_at": TIME,
    "member_count": 4,
}

MEMBER_RELATIONSHIP: dict[str, Any] = {
    "uri": f"{BASE}/group_relationships/RRRRRRRRRRRRRRRR",
    "role": "member",
    "owner": {
        "uri": f"{BASE}/organization_memberships/MMMMMMMMMMMMMMMM",
        "role": "user",
        "user": {
            "uri": f"{BASE}/users/UUUUUUUUUUUUUUUU",
            "name": "Ada Lovelace",
            "slug": "ada",
            "email": "ada@example.com",
            "scheduling_url": "https://calendly.com/ada",
            "timezone": "Europe/London",
            "avatar_url": None,
            "locale": "en",
            "created_at": TIME,
            "updated_at": TIME,
        },
        "organization": ORG,
        "created_at": TIME,
        "updated_at": TIME,
        "type": "OrganizationMembership",
    },
    "organization": ORG,
    "group": GROUP["uri"],
    "created_at": TIME,
    "updated_at": TIME,
}

INVITATION_RELATIONSHIP: dict[str, Any] = {
    **MEMBER_RELATIONSHIP,
    "uri": f"{BASE}/group_relationships/SSSSSSSSSSSSSSSS",
    "owner": {
        "uri": f"{ORG}/invitations/IIIIIIIIIIIIIIII",
        "organization": ORG,
        "email": "recruit@example.com",
        "status": "pending",
        "created_at": TIME,
        "updated_at": TIME,
        "last_sent_at": None,
        "type": "OrganizationInvitation",
    },
}


@pytest.fixture
def groups(client: Calendly) -> Groups:
    return client.groups


@pytest.fixture
def relationships(client: Calendly) -> GroupRelationships:
    return client.group_relationships


# -- requests and decoding (aioresponses) ------------------------------------------------


async def test_list_groups_sends_organization_uri_and_count(
    groups: Groups, api: aioresponses
) -> None:
    api.get(GROUPS, payload=page_body([GROUP], next_token="t2"))
    api.get(GROUPS, payload=page_body([{**GROUP, "uri": f"{BASE}/groups/G2"}]))
    found = await groups.list("AAAAAAAAAAAAAAAA", count=1).collect()
    assert [g.uri for g in found] == [GROUP["uri"], f"{BASE}/groups/G2"]
    (first, second) = sent(api)
    assert (first[0], urlsplit(first[1]).path) == ("GET", "/groups")
    assert first[2]["params"] == {"organization": ORG, "count": "1"}
    assert second[2]["params"] == {"organization": ORG, "count": "1", "page_token": "t2"}


async def test_list_groups_defaults_to_the_largest_page(groups: Groups, api: aioresponses) -> None:
    api.get(GROUPS, payload=page_body([]))
    assert await groups.list(ORG).collect() == []
    ((_, _, kwargs),) = sent(api)
    assert kwargs["params"]["count"] == "100"


@pytest.mark.parametrize("ident", ["GGGGGGGGGGGGGGGG", GROUP["uri"]])
async def test_get_group_accepts_uuid_or_uri_and_round_trips(
    groups: Groups, api: aioresponses, ident: str
) -> None:
    api.get(GROUP["uri"], payload=resource_body(GROUP))
    group = await groups.get(ident)
    assert isinstance(group, Group)
    assert group.member_count == 4
    assert group.created_at == datetime(2024, 1, 2, 3, 4, 5, 678123, tzinfo=UTC)
    assert_round_trips(GROUP, group)
    assert [(m, u) for m, u, _ in sent(api)] == [("GET", GROUP["uri"])]


async def test_list_relationships_sends_every_filter(
    relationships: GroupRelationships, api: aioresponses
) -> None:
    api.get(RELATIONSHIPS, payload=page_body([MEMBER_RELATIONSHIP]))
    await relationships.list(
        organization="AAAAAAAAAAAAAAAA",
        owner="MMMMMMMMMMMMMMMM",
        group="GGGGGGGGGGGGGGGG",
        count=5,
    ).collect()
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/group_relationships")
    assert kwargs["params"] == {
        "organization": ORG,
        "owner": f"{BASE}/organization_memberships/MMMMMMMMMMMMMMMM",
        "group": GROUP["uri"],
        "count": "5",
    }


async def test_relationship_owner_may_be_an_invitation_uri(
    relationships: GroupRelationships, api: aioresponses
) -> None:
    api.get(RELATIONSHIPS, payload=page_body([INVITATION_RELATIONSHIP]))
    invitation = INVITATION_RELATIONSHIP["owner"]["uri"]
    await relationships.list(owner=invitation).collect()
    ((_, _, kwargs),) = sent(api)
    assert kwargs["params"] == {"owner": invitation, "count": "100"}


@pytest.mark.parametrize("payload", [MEMBER_RELATIONSHIP, INVITATION_RELATIONSHIP])
async def test_relationship_payloads_round_trip(
    relationships: GroupRelationships, api: aioresponses, payload: dict[str, Any]
) -> None:
    api.get(payload["uri"], payload=resource_body(payload))
    relationship = await relationships.get(payload["uri"])
    assert isinstance(relationship, GroupRelationship)
    assert_round_trips(payload, relationship)


async def test_relationship_owner_types_decode_tolerantly(
    relationships: GroupRelationships, api: aioresponses
) -> None:
    api.get(RELATIONSHIPS, payload=page_body([MEMBER_RELATIONSHIP, INVITATION_RELATIONSHIP]))
    newer = copy.deepcopy(MEMBER_RELATIONSHIP)
    newer["owner"] = {"uri": f"{BASE}/teams/T1", "type": "Team", "name": "Ops"}
    api.get(newer["uri"], payload=resource_body(newer))
    member, invited = await relationships.list().collect()
    assert isinstance(member.owner, GroupRelationshipOwner)
    assert isinstance(member.owner.user, User)
    assert member.owner.user.email == "ada@example.com"
    assert not member.owner.is_invitation
    assert invited.owner is not None
    assert invited.owner.is_invitation
    assert (invited.owner.email, invited.owner.status) == ("recruit@example.com", "pending")
    unknown = await relationships.get(newer["uri"])
    assert unknown.owner is not None
    assert unknown.owner.type == "Team"


async def test_accepted_invitation_owner_keeps_user_as_uri(
    relationships: GroupRelationships, api: aioresponses
) -> None:
    accepted = copy.deepcopy(INVITATION_RELATIONSHIP)
    accepted["owner"].update(status="accepted", user=f"{BASE}/users/UUUUUUUUUUUUUUUU")
    api.get(accepted["uri"], payload=resource_body(accepted))
    relationship = await relationships.get(accepted["uri"])
    assert relationship.owner is not None
    assert relationship.owner.user == f"{BASE}/users/UUUUUUUUUUUUUUUU"
    assert_round_trips(accepted, relationship)


@pytest.mark.parametrize(
    "call",
    [
        lambda g, r: g.list(""),
        lambda g, r: g.list(f"{BASE}/users/AAAA"),
        lambda g, r: g.list(ORG, count=101),
        lambda g, r: r.list(group=f"{BASE}/event_types/AAAA"),
        lambda g, r: r.list(owner=f"{BASE}/users/AAAA"),
        lambda g, r: r.list(organization="not a uuid"),
    ],
)
def test_bad_list_input_is_refused_before_sending(
    groups: Groups, relationships: GroupRelationships, api: aioresponses, call: Any
) -> None:
    with pytest.raises(InvalidInputError):
        call(groups, relationships)
    assert sent(api) == []


@pytest.mark.parametrize(
    "call",
    [
        lambda g, r: g.get(f"{BASE}/organizations/AAAA"),
        lambda g, r: g.get(""),
        lambda g, r: r.get(f"{BASE}/groups/AAAA"),
    ],
)
async def test_bad_get_input_is_refused_before_sending(
    groups: Groups, relationships: GroupRelationships, api: aioresponses, call: Any
) -> None:
    with pytest.raises(InvalidInputError):
        await call(groups, relationships)
    assert sent(api) == []


# -- the mock server through the SDK (loopback) -------------------------------------------


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    start = datetime(2030, 1, 1, tzinfo=UTC)
    async with MockCalendly(seed=3, start=start, users=5, events=10) as server:
        yield server


@pytest.fixture
async def sdk(mock: MockCalendly) -> AsyncIterator[Calendly]:
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        yield client


async def test_mock_groups_list_and_get(sdk: Calendly, mock: MockCalendly) -> None:
    groups = sdk.groups
    pages = [page async for page in groups.list(mock.organization_uri, count=1).pages()]
    assert [len(page) for page in pages] == [1, 1]
    found = [group for page in pages for group in page]
    assert [g.name for g in found] == ["Sales", "Support"]
    stored = {g.uri: g for g in mock.state.groups.values()}
    for group in found:
        assert group.organization == mock.organization_uri
        assert group.member_count == len(stored[group.uri].members)
        assert await groups.get(group.uri) == group
    with pytest.raises(NotFoundError):
        await groups.get("NOSUCHGROUP00000")
    with pytest.raises(PermissionDeniedError):
        await groups.list("OTHERORG00000000").collect()


async def test_mock_relationships_cover_members_admins_and_invitations(
    sdk: Calendly, mock: MockCalendly
) -> None:
    relationships = sdk.group_relationships
    every = await relationships.list(organization=mock.organization_uri, count=2).collect()
    sales = next(g for g in mock.state.groups.values() if g.name == "Sales")
    in_sales = [r for r in every if r.group == sales.uri]
    roles = sorted((r.role or "", r.owner.type if r.owner else "") for r in in_sales)
    expected = sorted(
        [("member", "OrganizationMembership")] * len(sales.members)
        + [("admin", "OrganizationMembership")] * len(sales.admins)
        + [("member", "OrganizationInvitation")] * len(sales.invitations)
    )
    assert roles == expected
    assert len({r.uri for r in every}) == len(every)
    invited = next(r for r in in_sales if r.owner and r.owner.is_invitation)
    assert invited.owner is not None
    assert invited.owner.status == "pending"
    by_group = await relationships.list(group=sales.uri).collect()
    assert by_group == in_sales
    assert invited.owner.uri is not None
    assert await relationships.list(owner=invited.owner.uri).collect() == [invited]
    assert await relationships.get(invited.uri) == invited


async def test_mock_relationships_follow_membership_removal(
    sdk: Calendly, mock: MockCalendly
) -> None:
    relationships = sdk.group_relationships
    member = next(
        r
        for r in await relationships.list(organization=mock.organization_uri).collect()
        if r.role == "member" and r.owner and r.owner.role == "user"
    )
    assert member.owner is not None
    assert member.owner.uri is not None
    await sdk.organization_memberships.delete(member.owner.uri)
    assert await relationships.list(owner=member.owner.uri).collect() == []
    with pytest.raises(NotFoundError):
        await relationships.get(member.uri)
