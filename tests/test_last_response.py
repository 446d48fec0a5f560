"""``client.last_response`` after paginating: set in the caller's task, over loopback HTTP.

Pages are fetched in background tasks (read-ahead), whose context variables the caller
never sees; the paginator hands each page's response to the caller as it yields it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from calendly_async import Calendly
from calendly_async.mock import MockCalendly


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(seed=3, users=2, event_types=1, events=120) as server:
        yield server


@pytest.fixture
async def client(mock: MockCalendly) -> AsyncIterator[Calendly]:
    async with Calendly(token=mock.token, base_url=mock.url) as c:
        yield c


async def test_collect_leaves_the_last_pages_response_for_the_caller(
    client: Calendly, mock: MockCalendly
) -> None:
    pages = [
        page
        async for page in client.scheduled_events.list(
            organization=mock.organization_uri, count=50
        ).pages()
    ]
    assert len(pages) >= 2
    assert pages[-1].next_page_token is None
    events = await client.scheduled_events.list(
        organization=mock.organization_uri, count=50
    ).collect()
    last = client.last_response
    assert last is not None
    assert last.status == 200
    assert last.json()["pagination"]["next_page_token"] is None
    assert last.json()["collection"][-1]["uri"] == events[-1].uri
    assert last.rate_limit is not None


async def test_async_for_sets_the_response_of_the_page_being_consumed(
    client: Calendly, mock: MockCalendly
) -> None:
    seen: list[str | None] = []
    uris: list[str] = []
    listing = client.scheduled_events.list(organization=mock.organization_uri, count=50)
    async for event in listing:
        response = client.last_response
        assert response is not None
        assert event.uri in {item["uri"] for item in response.json()["collection"]}
        seen.append(response.request_id)
        uris.append(event.uri)
    assert len(set(seen)) >= 2  # a new response per page, in order
    assert client.last_response is not None
    assert client.last_response.json()["pagination"]["next_page_token"] is None


async def test_pages_hands_each_pages_own_response_to_the_caller(
    client: Calendly, mock: MockCalendly
) -> None:
    async for page in client.scheduled_events.list(
        organization=mock.organization_uri, count=50
    ).pages():
        assert page.response is not None
        assert client.last_response is page.response


async def test_collect_with_a_limit_reports_the_last_page_it_kept(
    client: Calendly, mock: MockCalendly
) -> None:
    events = await client.scheduled_events.list(
        organization=mock.organization_uri, count=50
    ).collect(limit=10)
    assert len(events) == 10
    last = client.last_response
    assert last is not None
    # The first page, not the second one already fetched ahead and then discarded.
    assert last.json()["collection"][0]["uri"] == events[0].uri
    assert last.json()["pagination"]["next_page_token"] is not None
