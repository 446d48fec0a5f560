"""Review: the fleet task re-queues a job on every transient failure (Arq ``Retry``),
and fails it at once on a permanent one (a revoked token must not retry forever).

``ReadTimeout`` and ``ConnectTimeout`` are ``TimeoutError`` subclasses; the task's
slice-deadline handler used to re-raise them, so Arq failed the job for good. A
transient failure of ``GET /users/me`` (run before the export) also failed the job.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from arq.worker import Retry

import calendly_async.fleet as fleet
from calendly_async import Calendly, RetryPolicy
from calendly_async.errors import AuthenticationError, InvalidGrantError, ReadTimeout
from calendly_async.fleet import TRANSIENT_DEFER, TenantCredentials, export_organization

Serve = Callable[[web.Application], Awaitable[str]]
ORG = "https://api.calendly.com/organizations/ORG1"


def _ctx(base_url: str) -> dict[str, Any]:
    async def credentials(tenant: str) -> TenantCredentials:
        return TenantCredentials(token="secret-token", base_url=base_url)

    # No database is reached in these tests: the failure comes first.
    return {"calendly_fleet": fleet._Fleet(credentials, None, 1, 60.0)}


def _no_client_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    def make(**kwargs: Any) -> Calendly:
        return Calendly(retry=RetryPolicy(max_retries=0), **kwargs)

    monkeypatch.setattr(fleet, "Calendly", make)


def _users_me(status: int, body: dict[str, Any]) -> web.Application:
    async def me(request: web.Request) -> web.Response:
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_get("/users/me", me)
    return app


async def test_a_read_timeout_from_the_export_requeues_the_job(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def timing_out(*args: Any, **kwargs: Any) -> Any:
        raise ReadTimeout("read timed out", method="GET", url=f"{ORG}/x")

    monkeypatch.setattr(fleet, "export", timing_out)
    with pytest.raises(Retry) as raised:
        await export_organization(_ctx("http://127.0.0.1:9"), "t1", ORG)
    assert raised.value.defer_score == int(TRANSIENT_DEFER * 1000)


async def _answer_users_me(
    serve: Serve, monkeypatch: pytest.MonkeyPatch, status: int, body: dict[str, Any]
) -> BaseException:
    """What the task raises when ``GET /users/me`` answers ``status`` (no client retries)."""
    _no_client_retries(monkeypatch)
    base = await serve(_users_me(status, body))
    with pytest.raises((Retry, AuthenticationError)) as raised:
        await export_organization(_ctx(base), "t1")
    return raised.value


async def test_a_server_error_on_users_me_requeues_the_job(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = await _answer_users_me(serve, monkeypatch, 503, {"title": "Down", "message": "later"})
    assert isinstance(error, Retry)
    assert error.defer_score == int(TRANSIENT_DEFER * 1000)


async def test_a_revoked_token_fails_the_job_without_retry(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = await _answer_users_me(serve, monkeypatch, 401, {"title": "No", "message": "revoked"})
    assert isinstance(error, AuthenticationError)
    assert "secret-token" not in str(error)


async def test_a_slow_users_me_counts_against_the_slice(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slice deadline covers ``GET /users/me``: a hanging one ends the slice
    (``Retry`` at once) well before Arq's job timeout would fail the job for good."""
    _no_client_retries(monkeypatch)
    never = asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        await never.wait()
        return web.json_response({})

    app = web.Application()
    app.router.add_get("/users/me", hang)
    base = await serve(app)
    ctx = _ctx(base)
    ctx["calendly_fleet"] = fleet._Fleet(ctx["calendly_fleet"].credentials, None, 1, 0.2)
    async with asyncio.timeout(10):  # the client's own read timeout is 30 s
        with pytest.raises(Retry) as raised:
            await export_organization(ctx, "t1")
    assert raised.value.defer_score == 0


async def test_a_refresh_token_revoked_mid_run_fails_the_job_without_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def revoked(*args: Any, **kwargs: Any) -> Any:
        raise InvalidGrantError(status=400, title="invalid_grant", message="revoked")

    monkeypatch.setattr(fleet, "export", revoked)
    with pytest.raises(InvalidGrantError):
        await export_organization(_ctx("http://127.0.0.1:9"), "t1", ORG)
