"""Static typing checks of the public API, run by ``mypy --strict`` in .ci/run (not by pytest).

``assert_type`` fails type-checking when the inferred type differs, so a regression in
the public annotations (a list call losing its item type, say) breaks CI.
"""

from __future__ import annotations

from typing import Any, assert_type

from calendly_async import (
    Calendly,
    Cancellation,
    EventType,
    EventTypeAvailableTime,
    Invitee,
    OAuth2,
    Page,
    Paginator,
    Response,
    ScheduledEvent,
    Token,
    User,
    UserBusyTime,
    WebhookSubscription,
)


async def check_client(client: Calendly) -> None:
    assert_type(await client.users.me(), User)
    events = client.scheduled_events.list(organization="ORG")
    assert_type(events, Paginator[ScheduledEvent])
    async for event in events:
        assert_type(event, ScheduledEvent)
    async for page in events.pages():
        assert_type(page, Page[ScheduledEvent])
        assert_type(page.next_page_token, str | None)
    assert_type(await events.collect(limit=5), list[ScheduledEvent])
    assert_type(client.invitees.list("EV"), Paginator[Invitee])
    assert_type(client.event_types.list(user="U"), Paginator[EventType])
    assert_type(
        await client.event_types.available_times(
            "ET", "2030-01-01T00:00:00Z", "2030-02-15T00:00:00Z"
        ),
        list[EventTypeAvailableTime],
    )
    assert_type(
        await client.busy_times.list("U", "2030-01-01T00:00:00Z", "2030-01-20T00:00:00Z"),
        list[UserBusyTime],
    )
    assert_type(await client.scheduled_events.cancel("EV", reason="x"), Cancellation)
    assert_type(client.webhooks.list("ORG", "organization"), Paginator[WebhookSubscription])
    assert_type(await client.request("GET", "/users/me"), Any)
    assert_type(client.last_response, Response | None)


async def check_oauth(oauth: OAuth2) -> None:
    url, verifier = oauth.authorization_url(state="s")
    assert_type(url, str)
    assert_type(verifier, str)
    assert_type(await oauth.refresh(), Token)
    assert_type(await oauth.exchange_code("code", code_verifier=verifier), Token)


async def check_literal_parameters(client: Calendly) -> None:
    """Enum-like parameters are ``Literal`` types: the right values type-check, typos do not.

    Each negative line carries ``# type: ignore[arg-type]``; ``mypy --strict`` warns
    about unused ignores, so the check fails if a parameter loses its ``Literal``.
    """
    client.scheduled_events.list(user="U", status="canceled", sort="start_time:desc")
    client.scheduled_events.list(user="U", status="cancelled")  # type: ignore[arg-type]
    client.scheduled_events.list(user="U", sort="start_time")  # type: ignore[arg-type]
    client.invitees.list("EV", status="active", sort="created_at:desc")
    client.invitees.list("EV", status="pending")  # type: ignore[arg-type]
    client.invitees.list("EV", sort="name:asc")  # type: ignore[arg-type]
    client.event_types.list(user="U", sort="position:asc")
    client.event_types.list(user="U", sort=["name:asc", "updated_at:desc"])
    client.event_types.list(user="U", sort="name")  # type: ignore[arg-type]
    await client.event_types.create("U", "Call", locale="de")
    await client.event_types.create("U", "Call", locale="german")  # type: ignore[arg-type]
    await client.event_types.update("ET", locale="xx")  # type: ignore[arg-type]
    await client.event_types.update_availability_schedule(
        "ET", timezone="UTC", availability_setting="host"
    )
    await client.event_types.update_availability_schedule(
        "ET", timezone="UTC", availability_setting="all"  # type: ignore[arg-type]
    )
    client.organization_memberships.list(organization="O", role="admin")
    client.organization_memberships.list(organization="O", role="member")  # type: ignore[arg-type]
    client.organization_invitations.list("O", status="pending", sort="created_at:asc")
    client.organization_invitations.list("O", status="open")  # type: ignore[arg-type]
    client.routing_forms.list("O", sort="created_at:asc")
    client.routing_forms.list("O", sort="name:asc")  # type: ignore[arg-type]
    client.routing_form_submissions.list("F", sort="created_at:up")  # type: ignore[arg-type]
    client.activity_log.list("O", sort=["occurred_at:desc", "action:asc"])
    client.activity_log.list("O", sort="occurred_at")  # type: ignore[arg-type]
    client.webhooks.list("O", "group", group="G", sort="created_at:desc")
    client.webhooks.list("O", "everyone")  # type: ignore[arg-type]
    client.webhooks.list("O", "user", sort="created")  # type: ignore[arg-type]
    await client.webhooks.create("https://x.test/h", ["invitee.created"], "O", "organization")
    await client.webhooks.create(
        "https://x.test/h", ["invitee.exploded"], "O", "organization"  # type: ignore[list-item]
    )
    await client.webhooks.create("https://x.test/h", "invitee.exploded", "O", "user")  # type: ignore[arg-type]
    await client.webhooks.sample("routing_form_submission.created", "O", "organization")
    await client.webhooks.sample("invitee.exploded", "O", "organization")  # type: ignore[arg-type]
    await client.scheduling_links.create("ET", owner_type="EventType")
    await client.scheduling_links.create("ET", owner_type="User")  # type: ignore[arg-type]
    await client.shares.create("ET", period_type="moving", max_booking_time=30)
    await client.shares.create("ET", period_type="weekly")  # type: ignore[arg-type]
    await client.request("GET", "/users/me", response_type="xml")  # type: ignore[arg-type]


def check_rate_limit_reporting() -> None:
    from typing import Literal

    from calendly_async import RateLimitWait, RequestStats

    def show(wait: RateLimitWait) -> None:
        assert_type(wait.seconds, float)
        assert_type(wait.reason, Literal["budget_spent", "too_many_requests"])
        assert_type(wait.url, str | None)

    client = Calendly(token="t", on_rate_limit=show)
    assert_type(client.stats, RequestStats)
    assert_type(client.stats.rate_limit_wait_seconds, float)
    assert_type(client.stats.rate_limited, int)
