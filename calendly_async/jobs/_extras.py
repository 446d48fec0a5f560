"""The optional extras (``include``): event types, memberships, routing forms + submissions.

Each is one listing (routing forms: one per form for its submissions), small
next to the events, staged like them and marked done in the checkpoint.

Calendly rules (reference §6.2, §6.4, §6.8): ``GET /event_types`` and
``GET /organization_memberships`` need ``organization`` or ``user``;
``GET /routing_forms`` needs ``organization``; ``GET /routing_form_submissions``
needs ``form``.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidInputError
from ..models.routing_forms import RoutingForm
from ..pagination import Paginator
from ._plan import Include, Scope
from ._worker import PAGE_SIZE, WindowWorker

__all__ = ["EXTRA_TABLES", "check_extras", "copy_extra"]

EXTRA_TABLES: dict[Include, tuple[str, ...]] = {
    "event_types": ("event_types",),
    "memberships": ("organization_memberships",),
    "routing_forms": ("routing_forms", "routing_form_submissions"),
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


async def copy_extra(worker: WindowWorker, client_scope: Scope, name: Include) -> None:
    """Stage every record of one extra."""
    client = worker.client
    org, user = client_scope.organization, client_scope.user
    if name in ("event_types", "memberships"):
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
