"""Review: a credentials provider that returns something other than
``TenantCredentials`` fails the job with a clear ``InvalidInputError`` naming the
tenant and the type (never the value: it may be the token itself); it used to be an
``AttributeError`` from deep inside the task. A provider that raises fails the job
with its own error, not retried."""

from __future__ import annotations

from typing import Any

import pytest

import calendly_async.fleet as fleet
from calendly_async.errors import InvalidInputError
from calendly_async.fleet import TenantCredentials, export_organization

ORG = "https://api.calendly.com/organizations/ORG1"


def _ctx(provider: Any) -> dict[str, Any]:
    return {"calendly_fleet": fleet._Fleet(provider, None, 1, 60.0)}


async def test_a_provider_returning_garbage_is_invalid_input_without_the_value() -> None:
    async def credentials(tenant: str) -> Any:
        return "raw-secret-token"

    with pytest.raises(InvalidInputError) as raised:
        await export_organization(_ctx(credentials), "tenant-7", ORG)
    message = str(raised.value)
    assert "tenant-7" in message
    assert "returned str" in message
    assert "raw-secret-token" not in message


async def test_a_provider_that_raises_fails_the_job_with_its_error() -> None:
    class VaultDown(Exception):
        pass

    async def credentials(tenant: str) -> TenantCredentials:
        raise VaultDown(tenant)

    with pytest.raises(VaultDown):
        await export_organization(_ctx(credentials), "tenant-7", ORG)
