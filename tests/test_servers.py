"""The throwaway-server fixtures: a server that cannot start fails the run in CI and is
skipped elsewhere, with what to install."""

from __future__ import annotations

import pytest
from servers import INSTALL_REDIS, unavailable


def test_a_missing_server_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y redis-server"):
        unavailable(f"no redis-server found: {INSTALL_REDIS}")


def test_a_missing_server_is_skipped_elsewhere_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y redis-server"):
        unavailable(f"no redis-server found: {INSTALL_REDIS}")
