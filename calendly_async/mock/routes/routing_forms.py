"""Routing forms and their submissions (reference §6.8)."""

from __future__ import annotations

from collections.abc import Iterator

from aiohttp import web

from ...models.routing_forms import RoutingForm, RoutingFormSubmission
from .._context import context
from .._http import lookup, required, resource, uuid_of
from .._listing import check_organization, list_response
from .._paging import micros

__all__ = ["routes"]

routes = web.RouteTableDef()

_CREATED = {"created_at": lambda item: micros(item.created_at)}


@routes.get("/routing_forms")
async def list_forms(request: web.Request) -> web.Response:
    """Routing forms of the organization (``organization`` required); sort ``created_at``."""
    store = context(request).store
    check_organization(store, required(request, "organization"))

    def load() -> Iterator[RoutingForm]:
        yield from store.routing_forms.values()

    return list_response(request, load, _CREATED, "created_at:asc")


@routes.get("/routing_forms/{uuid}")
async def get_form(request: web.Request) -> web.Response:
    """One routing form."""
    form = lookup(context(request).store.routing_forms, request.match_info["uuid"])
    return resource(form)


@routes.get("/routing_form_submissions")
async def list_submissions(request: web.Request) -> web.Response:
    """Submissions of one form (``form`` required, a routing form URI); sort ``created_at``."""
    store = context(request).store
    form = lookup(store.routing_forms, uuid_of(required(request, "form")))

    def load() -> Iterator[RoutingFormSubmission]:
        for submission in store.submissions.values():
            if submission.routing_form == form.uri:
                yield submission

    return list_response(request, load, _CREATED, "created_at:asc")


@routes.get("/routing_form_submissions/{uuid}")
async def get_submission(request: web.Request) -> web.Response:
    """One submission."""
    submission = lookup(context(request).store.submissions, request.match_info["uuid"])
    return resource(submission)
