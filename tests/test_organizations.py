"""client.organizations, .organization_memberships, .organization_invitations."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, assert_round_trips, fixture, page_body, resource_body

from calendly_async import Calendly, InvalidInputError, PermissionDeniedError
from calendly_async.models.organizations import (
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
)
from calendly_async.models.users import User

ORG = "AAAAAAAAAAAAAAAA"
ORG_URI = f"{BASE}/organizations/{ORG}"
USER_URI = f"{BASE}/users/AAAAAAAAAAAAAAAA"
INVITATION = "BBBBBBBBBBBBBBBB"
MEMBERSHIPS = re.compile(rf"^{re.escape(BASE)}/organization_memberships(\?.*)?$")
INVITATIONS = re.compile(rf"^{re.escape(BASE)}/organizations/{ORG}/invitations(\?.*)?$")

ORGANIZATION = {
    "uri": ORG_URI,
    "name": "Acme",
    "kind": "multiple",
    "plan": "enterprise",
    "stage": "paid",
    "created_at": "2019-01-02T03:04:05.678123Z",
    "updated_at": "2019-08-07T06:05:04.321123Z",
}


def path_of(url: str) -> str:
    return urlsplit(url).path


def json_body(kwargs: dict[str, Any]) -> Any:
    return msgspec.json.decode(kwargs["data"])


# --- organizations ---------------------------------------------------------------------


@pytest.mark.parametrize("ident", [ORG, ORG_URI])
async def test_organization_get_by_uuid_or_uri(
    client: Calendly, api: aioresponses, ident: str
) -> None:
    api.get(ORG_URI, payload=resource_body(ORGANIZATION))
    org = await client.organizations.get(ident)
    assert isinstance(org, Organization)
    assert (org.plan, org.stage, org.kind) == ("enterprise", "paid", "multiple")
    assert_round_trips(ORGANIZATION, org)
    assert [(m, u) for m, u, _ in sent(api)] == [("GET", ORG_URI)]


async def test_organization_get_refuses_a_user_uri(client: Calendly, api: aioresponses) -> None:
    with pytest.raises(InvalidInputError):
        await client.organizations.get(USER_URI)
    assert sent(api) == []


async def test_unknown_plan_value_decodes(client: Calendly, api: aioresponses) -> None:
    api.get(ORG_URI, payload=resource_body({**ORGANIZATION, "plan": "galactic", "new": 1}))
    assert (await client.organizations.get(ORG)).plan == "galactic"


# --- memberships -----------------------------------------------------------------------


async def test_memberships_list_sends_filters_as_uris(client: Calendly, api: aioresponses) -> None:
    api.get(MEMBERSHIPS, payload=page_body(fixture("list_organization_memberships")))
    items = await client.organization_memberships.list(
        organization=ORG, user="AAAAAAAAAAAAAAAA", email="test@example.com", role="admin", count=10
    ).collect()
    ((method, url, kwargs),) = sent(api)
    assert (method, path_of(url)) == ("GET", "/organization_memberships")
    assert kwargs["params"] == {
        "organization": ORG_URI,
        "user": USER_URI,
        "email": "test@example.com",
        "role": "admin",
        "count": "10",
    }
    assert [m.role for m in items] == ["admin"]


async def test_memberships_list_user_only_defaults_count_to_100(
    client: Calendly, api: aioresponses
) -> None:
    api.get(MEMBERSHIPS, payload=page_body([]))
    assert await client.organization_memberships.list(user=USER_URI).collect() == []
    ((_, _, kwargs),) = sent(api)
    assert kwargs["params"] == {"user": USER_URI, "count": "100"}


async def test_memberships_list_follows_page_tokens(client: Calendly, api: aioresponses) -> None:
    item = fixture("list_organization_memberships")[0]
    second = {**item, "uri": f"{BASE}/organization_memberships/CCCCCCCCCCCCCCCC"}
    api.get(MEMBERSHIPS, payload=page_body([item], next_token="t2"))
    api.get(MEMBERSHIPS, payload=page_body([second]))
    items = await client.organization_memberships.list(organization=ORG_URI).collect()
    assert [m.uri for m in items] == [item["uri"], second["uri"]]
    assert [kw["params"].get("page_token") for _, _, kw in sent(api)] == [None, "t2"]


async def test_memberships_list_resumes_from_page_token(
    client: Calendly, api: aioresponses
) -> None:
    api.get(MEMBERSHIPS, payload=page_body([]))
    await client.organization_memberships.list(organization=ORG, page_token="resume").collect()
    assert sent(api)[0][2]["params"]["page_token"] == "resume"


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"email": "a@b.c"},
        {"organization": f"{BASE}/users/X"},
        {"user": f"{BASE}/organizations/X"},
        {"organization": ORG, "count": 0},
        {"organization": ORG, "count": 101},
        {"organization": ORG, "count": True},
    ],
)
def test_memberships_list_refuses_bad_input_without_sending(
    client: Calendly, api: aioresponses, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        client.organization_memberships.list(**kwargs)
    assert sent(api) == []


async def test_seed_membership_list_round_trips(client: Calendly, api: aioresponses) -> None:
    payload = fixture("list_organization_memberships")
    api.get(MEMBERSHIPS, payload=page_body(payload))
    items = await client.organization_memberships.list(organization=ORG).collect()
    assert len(items) == len(payload)
    for original, item in zip(payload, items, strict=True):
        assert_round_trips(original, item)


@pytest.mark.parametrize("ident", [ORG, f"{BASE}/organization_memberships/{ORG}"])
async def test_membership_get_round_trips_seed(
    client: Calendly, api: aioresponses, ident: str
) -> None:
    payload = fixture("get_organization_membership")
    api.get(f"{BASE}/organization_memberships/{ORG}", payload=payload)
    membership = await client.organization_memberships.get(ident)
    assert isinstance(membership, OrganizationMembership)
    assert isinstance(membership.user, User)
    assert membership.user.email == "test@example.com"
    assert_round_trips(payload["resource"], membership)


async def test_membership_delete_sends_delete(client: Calendly, api: aioresponses) -> None:
    api.delete(f"{BASE}/organization_memberships/{ORG}", status=204)
    await client.organization_memberships.delete(f"{BASE}/organization_memberships/{ORG}")
    assert [(m, u) for m, u, _ in sent(api)] == [
        ("DELETE", f"{BASE}/organization_memberships/{ORG}")
    ]


async def test_membership_delete_of_owner_raises_the_403(
    client: Calendly, api: aioresponses
) -> None:
    api.delete(
        f"{BASE}/organization_memberships/{ORG}",
        status=403,
        payload={"title": "Permission Denied", "message": "The owner cannot be removed"},
    )
    with pytest.raises(PermissionDeniedError, match="owner cannot be removed"):
        await client.organization_memberships.delete(ORG)


async def test_membership_delete_refuses_bad_uuid(client: Calendly, api: aioresponses) -> None:
    with pytest.raises(InvalidInputError):
        await client.organization_memberships.delete(f"{BASE}/users/{ORG}")
    assert sent(api) == []


# --- invitations -----------------------------------------------------------------------


async def test_invitations_list_sends_path_and_filters(client: Calendly, api: aioresponses) -> None:
    payload = fixture("list_organization_invitations")
    api.get(INVITATIONS, payload=page_body(payload))
    items = await client.organization_invitations.list(
        ORG_URI, email="test@example.com", status="accepted", sort="created_at:desc", count=5
    ).collect()
    ((method, url, kwargs),) = sent(api)
    assert (method, path_of(url)) == ("GET", f"/organizations/{ORG}/invitations")
    assert kwargs["params"] == {
        "email": "test@example.com",
        "status": "accepted",
        "sort": "created_at:desc",
        "count": "5",
    }
    for original, item in zip(payload, items, strict=True):
        assert isinstance(item, OrganizationInvitation)
        assert_round_trips(original, item)


@pytest.mark.parametrize(
    "ident", [INVITATION, f"{BASE}/organizations/{ORG}/invitations/{INVITATION}"]
)
async def test_invitation_get_round_trips_seed(
    client: Calendly, api: aioresponses, ident: str
) -> None:
    payload = fixture("get_organization_invitation")
    api.get(f"{BASE}/organizations/{ORG}/invitations/{INVITATION}", payload=payload)
    invitation = await client.organization_invitations.get(ORG, ident)
    assert invitation.user == USER_URI
    assert invitation.last_sent_at is not None
    assert invitation.last_sent_at.tzinfo is not None
    assert_round_trips(payload["resource"], invitation)


async def test_invitation_uri_of_another_organization_is_refused(
    client: Calendly, api: aioresponses
) -> None:
    other = f"{BASE}/organizations/ZZZZZZZZZZZZZZZZ/invitations/{INVITATION}"
    with pytest.raises(InvalidInputError, match="belongs to organization"):
        await client.organization_invitations.get(ORG, other)
    with pytest.raises(InvalidInputError):
        await client.organization_invitations.revoke(ORG, f"{BASE}/users/{INVITATION}")
    assert sent(api) == []


async def test_invitation_create_posts_email_and_round_trips(
    client: Calendly, api: aioresponses
) -> None:
    payload = fixture("invite_user_to_organization")
    api.post(f"{BASE}/organizations/ABCDABCDABCDABCD/invitations", status=201, payload=payload)
    invitation = await client.organization_invitations.create(
        f"{BASE}/organizations/ABCDABCDABCDABCD", "email@example.com"
    )
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{BASE}/organizations/ABCDABCDABCDABCD/invitations")
    assert json_body(kwargs) == {"email": "email@example.com"}
    assert invitation.status == "pending"
    assert_round_trips(payload["resource"], invitation)


@pytest.mark.parametrize(("org", "email"), [(ORG, ""), ("", "a@b.c"), (USER_URI, "a@b.c")])
async def test_invitation_create_refuses_bad_input(
    client: Calendly, api: aioresponses, org: str, email: str
) -> None:
    with pytest.raises(InvalidInputError):
        await client.organization_invitations.create(org, email)
    assert sent(api) == []


async def test_invitation_revoke_sends_delete(client: Calendly, api: aioresponses) -> None:
    api.delete(f"{BASE}/organizations/{ORG}/invitations/{INVITATION}", status=204)
    await client.organization_invitations.revoke(ORG, INVITATION)
    assert [(m, u) for m, u, _ in sent(api)] == [
        ("DELETE", f"{BASE}/organizations/{ORG}/invitations/{INVITATION}")
    ]


# --- loopback --------------------------------------------------------------------------


async def test_memberships_across_three_pages_over_loopback(serve: Serve) -> None:
    template = fixture("list_organization_memberships")[0]
    seen: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.Response:
        query = dict(request.query)
        seen.append(query)
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        page = {None: 0, "p2": 1, "p3": 2}[query.get("page_token")]
        items = [
            {**template, "uri": f"{base}/organization_memberships/M{page}{i}"} for i in range(2)
        ]
        following = ["p2", "p3", None][page]
        return web.json_response(
            {
                "collection": items,
                "pagination": {
                    "count": 2,
                    "next_page": f"{base}/organization_memberships?page_token={following}"
                    if following
                    else None,
                    "previous_page": None,
                    "next_page_token": following,
                    "previous_page_token": None,
                },
            }
        )

    app = web.Application()
    app.router.add_get("/organization_memberships", handler)
    base = await serve(app)
    async with Calendly(token=TOKEN, base_url=base) as client:
        uris = [
            m.uri async for m in client.organization_memberships.list(organization=ORG, count=2)
        ]
    assert uris == [f"{base}/organization_memberships/M{p}{i}" for p in range(3) for i in range(2)]
    assert [q.get("page_token") for q in seen] == [None, "p2", "p3"]
    # A UUID becomes a URI on the client's own base_url.
    assert {q["organization"] for q in seen} == {f"{BASE}/organizations/{ORG}"}
    assert {q["count"] for q in seen} == {"2"}


async def test_invitation_create_and_revoke_over_loopback(serve: Serve) -> None:
    org = "ABCDABCDABCDABCD"  # the organization of the seed's invitation
    calls: list[tuple[str, str, Any]] = []

    async def create(request: web.Request) -> web.Response:
        calls.append((request.method, request.path, await request.json()))
        return web.json_response(fixture("invite_user_to_organization"), status=201)

    async def revoke(request: web.Request) -> web.Response:
        calls.append((request.method, request.path, None))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/organizations/{org}/invitations", create)
    app.router.add_delete("/organizations/{org}/invitations/{uuid}", revoke)
    base = await serve(app)
    async with Calendly(token=TOKEN, base_url=base) as client:
        invitation = await client.organization_invitations.create(org, "email@example.com")
        await client.organization_invitations.revoke(org, invitation.uri)
    assert calls == [
        ("POST", f"/organizations/{org}/invitations", {"email": "email@example.com"}),
        ("DELETE", f"/organizations/{org}/invitations/DCBADCBADCBADCBA", None),
    ]
