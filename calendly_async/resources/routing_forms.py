"""``client.routing_forms`` and ``client.routing_form_submissions`` (reference §6.8)."""

from __future__ import annotations

from ..models.routing_forms import RoutingForm, RoutingFormSubmission
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource, require
from ._choices import CreatedAtSort
from ._inputs import check_choice, optional

__all__ = ["RoutingFormSubmissions", "RoutingForms"]


class RoutingForms(Resource):
    """Routing form endpoints."""

    def list(
        self,
        organization: str,
        *,
        sort: CreatedAtSort | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[RoutingForm]:
        """Routing forms of an organization (``GET /routing_forms``).

        Seed: listRoutingForms (and the ``routingForms`` picklist).

        Parameters
        ----------
        organization:
            The organization's UUID or URI.
        sort:
            ``created_at:asc`` or ``created_at:desc``.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            ``organization`` is missing or malformed, or ``count`` is out of range.
        """
        require(organization, "organization")
        params = {
            "organization": self._uri(organization, "organizations"),
            "sort": optional(check_choice, sort, CreatedAtSort, "sort"),
        }
        return self._list("/routing_forms", RoutingForm, params, count=count, page_token=page_token)

    async def get(self, uuid: str) -> RoutingForm:
        """A routing form by UUID or URI (``GET /routing_forms/{uuid}``). Seed: getRoutingForm."""
        return await self._get(f"/routing_forms/{self._uuid(uuid, 'routing_forms')}", RoutingForm)


class RoutingFormSubmissions(Resource):
    """Routing form submission endpoints."""

    def list(
        self,
        form: str,
        *,
        sort: CreatedAtSort | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[RoutingFormSubmission]:
        """Submissions of one routing form (``GET /routing_form_submissions``).

        Seed: listRoutingFormSubmissions.

        Parameters
        ----------
        form:
            The routing form's UUID or URI.
        sort:
            ``created_at:asc`` or ``created_at:desc``.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            ``form`` is missing or malformed, or ``count`` is out of range.
        """
        require(form, "form")
        params = {
            "form": self._uri(form, "routing_forms", what="form"),
            "sort": optional(check_choice, sort, CreatedAtSort, "sort"),
        }
        return self._list(
            "/routing_form_submissions",
            RoutingFormSubmission,
            params,
            count=count,
            page_token=page_token,
        )

    async def get(self, uuid: str) -> RoutingFormSubmission:
        """A submission by UUID or URI (``GET /routing_form_submissions/{uuid}``).

        Seed: getRoutingFormSubmission.
        """
        uuid = self._uuid(uuid, "routing_form_submissions", what="routing form submission")
        return await self._get(f"/routing_form_submissions/{uuid}", RoutingFormSubmission)
