"""Review: a ``postgresql://`` URL that cannot be parsed (here a password with an
unescaped ``/``, so its tail is read as the port) is a clear ``InvalidInputError``
that never quotes the URL; it used to be asyncpg's bare ``ValueError`` (a traceback
on the command line) reading ``invalid literal for int(): 's3cret'``."""

from __future__ import annotations

import pytest

from calendly_async import Calendly, cli
from calendly_async.errors import InvalidInputError
from calendly_async.jobs import export

DSN = "postgresql://app:s3cret/pw@127.0.0.1/calendly"


async def test_an_unparsable_database_url_is_invalid_input_without_the_password() -> None:
    async with Calendly(token="token") as client:
        with pytest.raises(InvalidInputError) as raised:
            await export(client, database=DSN, organization="ORG1")
    assert "s3cret" not in str(raised.value)
    assert "postgresql://" in str(raised.value)


def test_export_database_with_an_unparsable_url_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = cli.main(["--token", "token", "export", "--database", DSN, "--organization", "ORG1"])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_USAGE
    assert "s3cret" not in out + err
    assert "Traceback" not in err


async def test_a_fleet_worker_with_an_unparsable_database_url_fails_without_the_password() -> None:
    from calendly_async.fleet import TenantCredentials, worker_settings

    async def credentials(tenant: str) -> TenantCredentials:
        return TenantCredentials(token="token")

    settings = worker_settings(credentials, DSN)
    with pytest.raises(InvalidInputError) as raised:
        await settings["on_startup"]({})
    assert "s3cret" not in str(raised.value)
