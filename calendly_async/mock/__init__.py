"""An embedded Calendly API v2 mock server (``aiohttp.web``): seeded, stateful,
paginated, rate-limited, with OAuth endpoints, webhook deliveries and fault injection.

::

    from calendly_async import Calendly
    from calendly_async.mock import Faults, MockCalendly

    async with MockCalendly(seed=7, events=1_000, faults=Faults(error_rate=0.1)) as mock:
        async with Calendly(token=mock.token, base_url=mock.url) as client:
            async for event in client.scheduled_events.list(organization=mock.organization_uri):
                ...

It serves the same model Structs the SDK decodes (``calendly_async.models``) and
never imports the client.
"""

from ._deliveries import Deliverer, DeliveryAttempt, DeliveryRecord
from ._faults import Faults
from ._server import MockCalendly
from ._store import Group, Store

__all__ = [
    "Deliverer",
    "DeliveryAttempt",
    "DeliveryRecord",
    "Faults",
    "Group",
    "MockCalendly",
    "Store",
]
