"""The PostgreSQL destination: records upserted straight into the database, checkpoint too.

``export(client, database="postgresql://...", organization=ORG)`` (the ``postgres``
extra: ``asyncpg``, imported only here). Nothing is staged on the machine running
the export, so a job killed on one machine resumes on any other that reaches the
same database.

Tables: the SQLite sink's (``TABLES``: same names, same flat columns), plus
``export_organization`` (the organisation the row was exported for; not
``organization``, which memberships and routing forms already have) and ``record``
(``jsonb``: the whole record as Calendly sent it). Flat columns are computed by
PostgreSQL from ``record`` (times ``timestamptz``, counts ``bigint``, flags
``boolean``, objects and lists ``jsonb``, the rest ``text``). The primary key is
``uri``: a Calendly URI names one object, and one object belongs to one
organisation, so a rerun (or a second tenant syncing the same organisation)
updates the row instead of adding a copy.

Each batch is one transaction: ``COPY`` into a temporary table, then one
``INSERT ... SELECT ... ON CONFLICT (uri) DO UPDATE`` per table; the writer
returns only after the commit, before the checkpoint moves past the batch.

The checkpoint is a row of ``calendly_export_checkpoints`` keyed by the export's
identity: organisation, user and range as asked (``export_key``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from .._identifiers import resource_uri
from .._optional import require
from .._params import TimeArg, format_time, parse_time
from ..errors import CalendlyError, InvalidInputError
from ._checkpoint import AsyncCheckpointStore, Checkpoint, CheckpointStore, as_async
from ._plan import Plan
from ._staging import StagedRecord
from ._tables import TABLES, Column, Table

__all__ = [
    "BAD_URL",
    "CHECKPOINTS_TABLE",
    "DatabaseError",
    "PostgresCheckpointStore",
    "PostgresDestination",
    "export_key",
    "postgres_type",
]

CHECKPOINTS_TABLE = "calendly_export_checkpoints"
STAGE_TABLE = "calendly_export_stage"
BAD_URL = (
    "database is not a valid postgresql:// URL (percent-encode special characters "
    "in the user name and password)"
)
"""The error for a DSN that does not parse (never quoting it: it may hold a password)."""
SCHEMA_LOCK = 0x43414C45  # "CALE": one advisory lock serialises the CREATE TABLEs

_INTEGER = frozenset({"invitees_total", "invitees_active", "invitees_limit", "duration"})
_BOOLEAN = frozenset({"active", "rescheduled"})
_JSON = frozenset({
    "event_memberships", "event_guests", "calendar_event", "questions_and_answers",
    "tracking", "payment", "reconfirmation", "questions", "result",
    "emails", "phone_numbers", "custom_fields", "options",
})  # fmt: skip


class DatabaseError(CalendlyError):
    """PostgreSQL could not be reached or refused the export's statements."""


def postgres_type(column: Column) -> str:
    """The column's PostgreSQL type (the SQLite sink keeps JSON's own types)."""
    if column.name in _JSON:
        return "jsonb"
    if column.name in _INTEGER:
        return "bigint"
    if column.name in _BOOLEAN:
        return "boolean"
    if column.name.endswith(("_time", "_at")):
        return "timestamptz"
    return "text"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path(column: Column) -> str:
    return "'{" + ",".join(column.path) + "}'"


def _primary_expression(column: Column) -> str:
    """SQL for a ``primary`` column (as ``column_value``): the flagged entry's key, else
    the first entry's; null when the path holds no list or the entry no object."""
    assert column.primary is not None
    flag, key = column.primary
    entries = f"s.record #> {_path(column)}"
    return (
        f"(SELECT e.value ->> '{key}' FROM jsonb_array_elements(CASE jsonb_typeof({entries}) "
        f"WHEN 'array' THEN {entries} ELSE '[]'::jsonb END) WITH ORDINALITY AS e(value, n) "
        f"ORDER BY (e.value -> '{flag}' = 'true'::jsonb) IS TRUE DESC, e.n LIMIT 1)"
    )


def _expression(column: Column) -> str:
    """SQL computing the flat column from the staged ``s.record`` (as ``column_value`` does)."""
    kind = postgres_type(column)
    if column.primary is not None:
        text = _primary_expression(column)
    elif kind == "jsonb":
        return f"s.record #> {_path(column)}"
    else:
        text = f"(s.record #>> {_path(column)})"
    return text if kind == "text" else f"{text}::{kind}"


def _create_statements(table: Table) -> list[str]:
    columns = ", ".join(
        f"{_quote(column.name)} {postgres_type(column)}" for column in table.columns[1:]
    )
    name = _quote(table.name)
    statements = [
        f"CREATE TABLE IF NOT EXISTS {name} (uri text PRIMARY KEY, {columns}, "
        "export_organization text NOT NULL, record jsonb NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {_quote(table.name + '_export_organization')} "
        f"ON {name} (export_organization)",
    ]
    statements.extend(
        f"CREATE INDEX IF NOT EXISTS {_quote(f'{table.name}_{column}')} "
        f"ON {name} ({_quote(column)})"
        for column in table.indexes
    )
    return statements


def _merge_statement(table: Table) -> str:
    """One upsert of every staged record of ``table`` (the latest copy of each ``uri``)."""
    names = [*table.column_names, "export_organization", "record"]
    values = ["s.uri", *(_expression(c) for c in table.columns[1:]), "$2", "s.record"]
    updates = ", ".join(f"{_quote(n)} = excluded.{_quote(n)}" for n in names[1:])
    return (
        f"INSERT INTO {_quote(table.name)} ({', '.join(_quote(n) for n in names)}) "
        f"SELECT {', '.join(values)} FROM ("
        f"SELECT DISTINCT ON (uri) uri, record FROM {STAGE_TABLE} WHERE tbl = $1 "
        "ORDER BY uri, seq DESC) AS s "
        f"ON CONFLICT (uri) DO UPDATE SET {updates} "
        # An unchanged record is not rewritten (no dead row per rerun).
        f"WHERE ({_quote(table.name)}.record, {_quote(table.name)}.export_organization) "
        "IS DISTINCT FROM (excluded.record, excluded.export_organization)"
    )


def export_key(
    organization: str, user: str | None, since: TimeArg | None, until: TimeArg | None
) -> str:
    """The identity of one export: its checkpoint row's key (arguments as given)."""
    parts = (
        resource_uri(organization, "organizations"),
        resource_uri(user, "users") if user else "",
        format_time(since, what="since") if since is not None else "",
        format_time(until, what="until") if until is not None else "",
    )
    return "|".join(parts)


async def _ensure_schema(pool: Any, tables: Sequence[Table]) -> None:
    """Create the tables once, even with many workers starting at the same moment."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK)
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {CHECKPOINTS_TABLE} (key text PRIMARY KEY, "
            "organization text NOT NULL, finished boolean NOT NULL, checkpoint jsonb NOT NULL, "
            "updated_at timestamptz NOT NULL DEFAULT now())"
        )
        for table in tables:
            for statement in _create_statements(table):
                await conn.execute(statement)


class PostgresCheckpointStore:
    """A checkpoint as one row of ``calendly_export_checkpoints``, replaced by upsert."""

    def __init__(self, pool: Any, key: str, organization: str) -> None:
        self._pool = pool
        self.key = key
        self.organization = organization

    def __repr__(self) -> str:
        return f"PostgresCheckpointStore(key={self.key!r})"

    async def load(self) -> Checkpoint | None:
        """The saved checkpoint, or ``None``.

        Raises
        ------
        InvalidInputError
            The row is not a checkpoint this version can read.
        """
        async with self._pool.acquire() as conn:
            text = await conn.fetchval(
                f"SELECT checkpoint FROM {CHECKPOINTS_TABLE} WHERE key = $1", self.key
            )
        if text is None:
            return None
        try:
            return Checkpoint.from_json(msgspec.json.decode(text))
        except (msgspec.DecodeError, KeyError, TypeError, ValueError) as exc:
            raise InvalidInputError(f"checkpoint {self.key} is not readable: {exc}") from None

    async def save(self, checkpoint: Checkpoint) -> None:
        """Upsert the row (one statement: atomic)."""
        text = msgspec.json.encode(checkpoint.to_json()).decode()
        async with self._pool.acquire() as conn:
            await conn.execute(
                f"INSERT INTO {CHECKPOINTS_TABLE} (key, organization, finished, checkpoint) "
                "VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (key) DO UPDATE SET "
                "finished = excluded.finished, checkpoint = excluded.checkpoint, "
                "updated_at = now()",
                self.key,
                self.organization,
                checkpoint.finished,
                text,
            )


class PostgresDestination:
    """Upserts each batch straight into PostgreSQL; the checkpoint is a row there."""

    def __init__(
        self,
        pool: Any,
        organization: str,
        key: str,
        checkpoints: AsyncCheckpointStore,
        *,
        owned: bool,
    ) -> None:
        self._pool = pool
        self._owned = owned
        self.organization = organization
        self.key = key
        self.checkpoints = checkpoints
        self._plan: Plan | None = None

    def __repr__(self) -> str:  # never the DSN: it may hold a password
        return f"PostgresDestination(key={self.key!r})"

    @classmethod
    async def connect(
        cls,
        database: object,
        organization: str | None,
        user: str | None,
        since: TimeArg | None,
        until: TimeArg | None,
        store: CheckpointStore | AsyncCheckpointStore | None = None,
    ) -> PostgresDestination:
        """Open a pool (``database`` a DSN) or use the caller's (an ``asyncpg`` pool).

        Raises
        ------
        InvalidInputError
            No ``organization`` (rows and checkpoint are keyed by it), or a DSN
            that is not ``postgresql://`` / ``postgres://`` or does not parse.
        MissingDependencyError
            ``asyncpg`` is not installed (the ``postgres`` extra).
        DatabaseError
            The server cannot be reached or refuses the connection.
        """
        if not organization:
            raise InvalidInputError("a database export needs organization (rows are keyed by it)")
        org = resource_uri(organization, "organizations")
        key = export_key(org, user, since, until)
        asyncpg = require("asyncpg", "postgres", "exporting to PostgreSQL")
        owned = isinstance(database, str)
        if owned:
            assert isinstance(database, str)
            if not database.startswith(("postgresql://", "postgres://")):
                raise InvalidInputError("database must be a postgresql:// URL")
            try:
                pool = await asyncpg.create_pool(database, min_size=1, max_size=4)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                raise DatabaseError(f"cannot connect to PostgreSQL: {exc}") from None
            except ValueError:  # the URL did not parse; its text may quote the password
                raise InvalidInputError(BAD_URL) from None
        else:
            pool = database
        try:
            await _ensure_schema(pool, list(TABLES.values()))
        except BaseException:
            if owned:
                await pool.close()
            raise
        checkpoints = (
            as_async(store) if store is not None else PostgresCheckpointStore(pool, key, org)
        )
        return cls(pool, org, key, checkpoints, owned=owned)

    def unfinished(self) -> str:
        """The refusal: names the export's key, ``--resume`` and its checkpoint row."""
        return (
            f"the database holds an unfinished export of {self.key}: rerun with --resume "
            f"(resume=True) to continue it, or delete its row from {CHECKPOINTS_TABLE} "
            "to start over"
        )

    async def open(self, plan: Plan, fresh: bool) -> None:
        """Remember the plan (for ``counts``)."""
        # Nothing to drop on a fresh start: a rerun upserts over the previous rows.
        self._plan = plan

    async def write(self, records: Sequence[StagedRecord]) -> None:
        """``COPY`` the batch into the temporary table, merge it per table; one transaction."""
        if not records:
            return
        rows = [(r.table, seq, r.uri, r.json.decode()) for seq, r in enumerate(records)]
        names = sorted({r.table for r in records})
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE_TABLE} (tbl text NOT NULL, "
                "seq integer NOT NULL, uri text NOT NULL, record jsonb NOT NULL) "
                "ON COMMIT DELETE ROWS"
            )
            await conn.copy_records_to_table(
                STAGE_TABLE, records=rows, columns=("tbl", "seq", "uri", "record")
            )
            for name in names:
                await conn.execute(_merge_statement(TABLES[name]), name, self.organization)

    async def counts(self, tables: Sequence[str]) -> dict[str, int]:
        """Rows the database holds for this export: its organisation (and user), and
        for events and invitees its start-time range."""
        plan = self._plan
        if plan is None:
            raise RuntimeError("PostgresDestination is not open")
        events = (
            "SELECT uri FROM scheduled_events WHERE export_organization = $1 "
            "AND start_time >= $2 AND start_time < $3 AND ($4::text IS NULL OR "
            "record -> 'event_memberships' @> "
            "jsonb_build_array(jsonb_build_object('user', $4::text)))"
        )
        arguments: tuple[object, ...] = (
            self.organization, parse_time(plan.since), parse_time(plan.until), plan.scope.user,
        )  # fmt: skip
        counts: dict[str, int] = {}
        async with self._pool.acquire() as conn:
            for name in tables:
                if name == "scheduled_events":
                    query = f"SELECT count(*) FROM ({events}) AS e"
                    args: tuple[object, ...] = arguments
                elif name == "invitees":
                    query = (
                        "SELECT count(*) FROM invitees WHERE export_organization = $1 "
                        f"AND event IN ({events})"
                    )
                    args = arguments
                else:
                    query = f"SELECT count(*) FROM {_quote(name)} WHERE export_organization = $1"
                    args = (self.organization,)
                counts[name] = int(await conn.fetchval(query, *args))
        return counts

    async def commit(self, tables: Sequence[str]) -> list[Path]:
        """Nothing left to do: no files."""
        # Every batch is already committed; there are no files.
        return []

    async def close(self, finished: bool) -> None:
        """Close the pool when this destination opened it."""
        if self._owned:
            with contextlib.suppress(Exception):
                await self._pool.close()
