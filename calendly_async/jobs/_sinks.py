"""Output sinks: NDJSON, CSV and SQLite, behind one small ``Sink`` protocol.

A sink receives each table's records in order (the JSON exactly as Calendly
sent it, plus the decoded dict) and makes its output visible only on
``commit``: the file sinks write ``.NAME.tmp`` files and ``os.replace`` them
into place, the SQLite sink upserts inside one transaction. A kill before
``commit`` leaves the previous outputs untouched, never a torn file.

Methods are blocking; the export runs them in a worker thread.
"""

from __future__ import annotations

import contextlib
import csv
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from ._plan import Format
from ._tables import Table, flat_row

__all__ = ["CsvSink", "NdjsonSink", "Record", "Sink", "SqliteSink", "make_sinks"]

Record = tuple[bytes, dict[str, Any]]
"""One record: its JSON as Calendly sent it, and that JSON decoded."""

SQLITE_NAME = "calendly.sqlite"


class Sink(Protocol):
    """Receives every record of every table, then commits (or aborts) at once."""

    def begin(self, table: Table) -> None:
        """Start ``table`` (called once per table, before its records)."""
        ...

    def write(self, table: Table, records: Sequence[Record]) -> None:
        """Add records of ``table`` (in order)."""
        ...

    def commit(self) -> list[Path]:
        """Make everything written visible atomically; return the paths written."""
        ...

    def abort(self) -> None:
        """Drop everything written since the first ``begin``."""
        ...


def _replace_all(pending: dict[Path, tuple[Path, IO[Any]]]) -> list[Path]:
    """Flush, fsync and move each temporary file onto its final path."""
    written = []
    for final, (temporary, handle) in pending.items():
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.replace(temporary, final)
        written.append(final)
    pending.clear()
    return written


def _discard_all(pending: dict[Path, tuple[Path, IO[Any]]]) -> None:
    for temporary, handle in pending.values():
        handle.close()
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    pending.clear()


class _FileSink:
    """Shared by the NDJSON and CSV sinks: one temporary file per table."""

    suffix = ""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._pending: dict[Path, tuple[Path, IO[Any]]] = {}

    def _open(self, table: Table, mode: str) -> IO[Any]:
        final = self.directory / f"{table.name}.{self.suffix}"
        temporary = self.directory / f".{table.name}.{self.suffix}.tmp"
        if mode == "wb":
            handle: IO[Any] = open(temporary, "wb")  # noqa: SIM115 - closed in commit/abort
        else:
            handle = open(temporary, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._pending[final] = (temporary, handle)
        return handle

    def commit(self) -> list[Path]:
        """Move every table's file into place."""
        return _replace_all(self._pending)

    def abort(self) -> None:
        """Delete the temporary files."""
        _discard_all(self._pending)


class NdjsonSink(_FileSink):
    """``TABLE.ndjson``: one record per line, exactly the JSON Calendly sent."""

    suffix = "ndjson"

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self._handles: dict[str, IO[Any]] = {}

    def begin(self, table: Table) -> None:
        """Open ``.TABLE.ndjson.tmp``."""
        self._handles[table.name] = self._open(table, "wb")

    def write(self, table: Table, records: Sequence[Record]) -> None:
        """Append one line per record."""
        self._handles[table.name].write(b"".join(raw + b"\n" for raw, _ in records))


def _csv_value(value: object) -> object:
    """CSV text: empty for null, ``true``/``false`` for booleans (as in JSON)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class CsvSink(_FileSink):
    """``TABLE.csv``: a header row (``uri`` first), then the flat columns of each record."""

    suffix = "csv"

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self._writers: dict[str, Any] = {}

    def begin(self, table: Table) -> None:
        """Open ``.TABLE.csv.tmp`` and write the header."""
        writer = csv.writer(self._open(table, "w"))
        writer.writerow(table.column_names)
        self._writers[table.name] = writer

    def write(self, table: Table, records: Sequence[Record]) -> None:
        """One row per record."""
        self._writers[table.name].writerows(
            [_csv_value(value) for value in flat_row(table, record)] for _, record in records
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class SqliteSink:
    """``calendly.sqlite``: one table per resource, upserted by ``uri`` in one transaction.

    Columns: ``uri TEXT PRIMARY KEY``, the flat columns (values keep their JSON
    type: text, integer, real; booleans 1/0; objects and lists as JSON text),
    and ``record``, the whole record as JSON.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / SQLITE_NAME
        self._db: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            db.execute("BEGIN IMMEDIATE")
            self._db = db
        return self._db

    def begin(self, table: Table) -> None:
        """Create the table and its indexes when missing."""
        db = self._conn()
        flat = ", ".join(_quote(name) for name in table.column_names[1:])
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {_quote(table.name)} "
            f"(uri TEXT PRIMARY KEY, {flat}, record TEXT NOT NULL)"
        )
        for column in table.indexes:
            db.execute(
                f"CREATE INDEX IF NOT EXISTS {_quote(f'{table.name}_{column}')} "
                f"ON {_quote(table.name)} ({_quote(column)})"
            )

    def write(self, table: Table, records: Sequence[Record]) -> None:
        """Upsert: a record already present (an earlier run) is replaced."""
        names = (*table.column_names, "record")
        updates = ", ".join(f"{_quote(n)} = excluded.{_quote(n)}" for n in names[1:])
        statement = (
            f"INSERT INTO {_quote(table.name)} ({', '.join(_quote(n) for n in names)}) "
            f"VALUES ({', '.join('?' for _ in names)}) "
            f"ON CONFLICT (uri) DO UPDATE SET {updates}"
        )
        self._conn().executemany(
            statement, [(*flat_row(table, record), raw.decode()) for raw, record in records]
        )

    def commit(self) -> list[Path]:
        """Commit the transaction."""
        db = self._conn()
        db.execute("COMMIT")
        db.close()
        self._db = None
        return [self.path]

    def abort(self) -> None:
        """Roll back."""
        if self._db is not None:
            self._db.execute("ROLLBACK")
            self._db.close()
            self._db = None


def make_sinks(directory: Path, formats: Sequence[Format]) -> list[Sink]:
    """The built-in sinks for ``formats``."""
    factories: dict[Format, type[NdjsonSink] | type[CsvSink] | type[SqliteSink]] = {
        "ndjson": NdjsonSink,
        "csv": CsvSink,
        "sqlite": SqliteSink,
    }
    return [factories[name](directory) for name in formats]
