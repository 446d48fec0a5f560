"""Throwaway PostgreSQL and Redis servers for the tests, started by the tests themselves.

``postgres_server`` (session): ``initdb`` into a temporary directory and ``postgres``
on a free loopback port (as the ``postgres`` user when the tests run as root: the
server refuses root). ``database`` (per test): a fresh database on it, as a DSN.
``redis_url`` (per test): ``redis-server`` on a free loopback port, no persistence.

Missing binaries: in CI (``CI=true``) the test fails; elsewhere it is skipped with a
message saying what to install.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

INSTALL_POSTGRES = "install PostgreSQL (apt-get install -y postgresql)"
INSTALL_REDIS = "install Redis (apt-get install -y redis-server)"


def unavailable(message: str) -> NoReturn:
    """Fail in CI, skip elsewhere (with what to install)."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI: {message}")
    pytest.skip(message)


def free_port() -> int:
    """A port nobody listens on right now (loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            unavailable(f"{what} exited with {process.returncode}: {output[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    process.kill()
    unavailable(f"{what} did not start listening on port {port}")


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version(path: str) -> tuple[int, ...]:
    part = Path(path).parts[-3]
    return tuple(int(p) for p in part.split(".") if p.isdigit())


def _as_postgres(directory: Path) -> Callable[[], None] | None:
    """Root: run the server as ``postgres`` (owning ``directory``); otherwise as we are."""
    if os.geteuid() != 0:
        return None
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        unavailable("running as root and there is no postgres user to run PostgreSQL as")
    for path in (directory, *directory.rglob("*")):
        os.chown(path, account.pw_uid, account.pw_gid)

    def demote() -> None:
        os.setgid(account.pw_gid)
        os.setuid(account.pw_uid)

    return demote


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server for the session; yields the DSN of its ``postgres`` database."""
    binaries = _postgres_bin()
    if binaries is None:
        unavailable(f"no PostgreSQL binaries (initdb, postgres) found: {INSTALL_POSTGRES}")
    # Not under pytest's tmp_path: its parents are private to us, and when we are root
    # the server runs as postgres, which must reach its own directory.
    with tempfile.TemporaryDirectory(prefix="calendly-async-pg-") as name:
        yield from _serve_postgres(binaries, Path(name))


def _serve_postgres(binaries: Path, root: Path) -> Iterator[str]:
    data = root / "data"
    demote = _as_postgres(root)
    init = subprocess.run(
        [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
         "-E", "UTF8", "--no-sync", "--no-instructions"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=demote, check=False,
    )  # fmt: skip
    if init.returncode != 0:
        unavailable(f"initdb failed: {init.stdout.decode(errors='replace')[-2000:]}")
    port = free_port()
    process = subprocess.Popen(
        [str(binaries / "postgres"), "-D", str(data), "-p", str(port), "-k", str(root),
         "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
         "-c", "full_page_writes=off", "-c", "max_connections=200"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=demote,
    )  # fmt: skip
    try:
        _wait_for_port(port, process, "postgres")
        dsn = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        _wait_until_accepting(binaries, port)
        yield dsn
    finally:
        process.terminate()  # smart shutdown; the sessions are closed by now
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_accepting(binaries: Path, port: int) -> None:
    """The port is open before the server accepts sessions: ask ``pg_isready``."""
    for _ in range(200):
        ready = subprocess.run(
            [str(binaries / "pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"],
            capture_output=True, check=False,
        )  # fmt: skip
        if ready.returncode == 0:
            return
        time.sleep(0.05)
    unavailable("postgres never accepted connections")


_databases = itertools.count(1)


@pytest.fixture
def database(postgres_server: str) -> str:
    """A fresh, empty database on the session's server (its DSN)."""
    name = f"test_{os.getpid()}_{next(_databases)}"
    base = postgres_server.rsplit("/", 1)[0]
    binaries = _postgres_bin()
    assert binaries is not None
    port = base.rsplit(":", 1)[1]
    created = subprocess.run(
        [str(binaries / "createdb"), "-h", "127.0.0.1", "-p", port, "-U", "postgres", name],
        capture_output=True, check=False,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr.decode()
    return f"{base}/{name}"


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway ``redis-server`` (no snapshots, no AOF) for one test; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable(f"no redis-server found: {INSTALL_REDIS}")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_for_port(port, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
