"""The optional extras (``include``): event types, memberships, routing forms + submissions,
contacts + their custom field definitions.

Each is one listing (routing forms: one per form for its submissions), small
next to the events, staged like them and marked done in the checkpoint.

Calendly rules (reference §6.2, §6.4, §6.8, §6.11): ``GET /event_types`` and
``GET /organization_memberships`` need ``organization`` or ``user``;
``GET /routing_forms`` needs ``organization``; ``GET /routing_form_submissions``
needs ``form``; ``GET /contacts`` takes no organization or user filter (the
contacts the token sees) and sorts by ``created_at``; ``GET /contacts/custom_field_definitions``
is one unpaginated ``collection``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from ..client import Calendly
from ..errors import InvalidInputError
from ..models.routing_forms import RoutingForm
from ..pagination import Page, Paginator
from ._plan import Include, Scope
from ._worker import PAGE_SIZE, WindowWorker

__all__ = ["EXTRA_TABLES", "check_extras", "copy_extra", "one_page"]

T = TypeVar("T")

EXTRA_TABLES: dict[Include, tuple[str, ...]] = {
    "event_types": ("event_types",),
    "memberships": ("organization_memberships",),
    "routing_forms": ("routing_forms", "routing_form_submissions"),
    "contacts": ("contacts", "contact_custom_fields"),
}
"""The tables each ``include`` name adds."""


def check_extras(includes: tuple[Include, ...], scope: Scope) -> None:
    """Calendly rule: routing forms are listed per organization only."""
    if "routing_forms" in includes and not scope.organization:
        raise InvalidInputError("include routing_forms needs an organization")


def _key(item: object) -> str:
    """Extras are written in ``created_at`` order, then by ``uri``."""
    created = getattr(item, "created_at", None)
    return f"{created.isoformat() if created is not None else ''}|{getattr(item, 'uri', '')}"


def one_page(client: Calendly, load: Callable[[], Awaitable[list[T]]]) -> Paginator[T]:
    """An unpaginated collection as a one-page listing, so it is staged like any other.

    The page keeps the response ``load`` got (``client.last_response``, task-local:
    the page is fetched and read in one task), so the items' raw JSON is kept too.
    """

    async def fetch(token: str | None) -> Page[T]:
        items = await load()
        return Page(items, None, response=client.last_response)

    return Paginator(fetch, read_ahead=False)


async def copy_extra(worker: WindowWorker, client_scope: Scope, name: Include) -> None:
    """Stage every record of one extra."""
    client = worker.client
    org, user = client_scope.organization, client_scope.user
    if name == "contacts":
        # Calendly rule (reference §6.11): the definitions are not paginated; each
        # contact carries its values in ``custom_fields`` (not excluded here).
        await worker.copy_listing(
            lambda: one_page(client, client.contact_custom_fields.list),
            "contact_custom_fields",
            _key,
        )
        await worker.copy_listing(
            lambda: client.contacts.list(sort="created_at:asc", count=PAGE_SIZE), "contacts", _key
        )
    elif name in ("event_types", "memberships"):
        # Calendly rule: one of organization or user (the organization when both).
        member = None if org else user

        def listing() -> Paginator[Any]:
            if name == "event_types":
                return client.event_types.list(organization=org, user=member, count=PAGE_SIZE)
            return client.organization_memberships.list(
                organization=org, user=member, count=PAGE_SIZE
            )

        await worker.copy_listing(listing, EXTRA_TABLES[name][0], _key)
    else:
        assert org is not None  # check_extras
        forms: list[str] = []

        def keep(form: RoutingForm) -> None:
            forms.append(form.uri)

        await worker.copy_listing(
            lambda: client.routing_forms.list(org, count=PAGE_SIZE), "routing_forms", _key, keep
        )
        for form in forms:
            await worker.copy_listing(
                lambda form=form: client.routing_form_submissions.list(form, count=PAGE_SIZE),  # type: ignore[misc]
                "routing_form_submissions",
                _key,
            )
