"""Readers of what an export wrote into PostgreSQL (the tests' own plain asyncpg queries)."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from calendly_async.jobs._postgres import CHECKPOINTS_TABLE


async def rows(dsn: str, table: str) -> dict[str, Any]:
    """``uri -> row`` of ``table`` (asserting no uri repeats)."""
    conn = await asyncpg.connect(dsn)
    try:
        found = await conn.fetch(f"SELECT * FROM {table}")
    finally:
        await conn.close()
    by_uri = {row["uri"]: dict(row) for row in found}
    assert len(by_uri) == len(found)
    return by_uri


async def records(dsn: str, table: str) -> dict[str, Any]:
    """``uri -> record`` as the ``jsonb`` column holds it."""
    found = await rows(dsn, table)
    return {uri: msgspec.json.decode(row["record"]) for uri, row in found.items()}


async def checkpoint_events(dsn: str) -> int:
    """Events the checkpoint rows say are done (0 before the table exists)."""
    try:
        conn = await asyncpg.connect(dsn)
    except OSError:
        return 0
    try:
        found = await conn.fetch(f"SELECT checkpoint FROM {CHECKPOINTS_TABLE}")
    except asyncpg.UndefinedTableError:
        return 0
    finally:
        await conn.close()
    return sum(
        window["events"] for row in found for window in msgspec.json.decode(row[0])["windows"]
    )
