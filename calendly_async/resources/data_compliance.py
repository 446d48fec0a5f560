"""``client.data_compliance``: deletion requests (reference §6.10; Enterprise plans).

Both calls are accepted asynchronously: Calendly answers 202 with ``{}`` and
finishes the deletion later (within about 7 days), so they return ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._params import TimeArg, name_list, time_range
from ..errors import InvalidInputError
from ._base import Resource
from ._inputs import check_email

__all__ = ["DataCompliance"]


class DataCompliance(Resource):
    """Data compliance endpoints."""

    async def delete_invitee_data(self, emails: str | Sequence[str]) -> None:
        """Remove invitees' data from every past booking in the organization.

        ``POST /data_compliance/deletion/invitees``. Seed: deleteInviteeData.

        Parameters
        ----------
        emails:
            One address or a list of addresses (at least one).

        Raises
        ------
        InvalidInputError
            ``emails`` is empty or holds something that is not an email address.
        """
        addresses = name_list(emails, "emails")
        if not addresses:
            raise InvalidInputError("emails must hold at least one address")
        addresses = [check_email(address, "every address in emails") for address in addresses]
        await self._post_no_content("/data_compliance/deletion/invitees", {"emails": addresses})

    async def delete_scheduled_event_data(self, start_time: TimeArg, end_time: TimeArg) -> None:
        """Remove the data of scheduled events in a time range.

        ``POST /data_compliance/deletion/events``. Seed: deleteScheduledEventData.
        Calendly only accepts a past range of at most 24 months.

        Parameters
        ----------
        start_time, end_time:
            Aware datetimes or ISO-8601 strings.

        Raises
        ------
        InvalidInputError
            A time is missing, naive or unparsable, or ``start_time`` is after ``end_time``.
        """
        if start_time is None or end_time is None:
            raise InvalidInputError("start_time and end_time are required")
        start, end = time_range(start_time, end_time, "start_time", "end_time")
        body = {"start_time": start, "end_time": end}
        await self._post_no_content("/data_compliance/deletion/events", body)
