"""The staging store: every fetched record, upserted by ``uri``, in one SQLite file.

Workers write here as pages arrive (in a thread, batched: see ``_writer``); the
final files are assembled from it at the end, in a stable order, so a resumed
or retried window that fetches a record again replaces it instead of adding a
second copy. Each batch is one transaction: a kill leaves the file consistent.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["StagedRecord", "Staging"]


@dataclass(frozen=True, slots=True)
class StagedRecord:
    """One record: its table, ``uri``, ordering key and JSON exactly as Calendly sent it."""

    table: str
    uri: str
    sort_key: str
    json: bytes


class Staging:
    """A SQLite file holding staged records; methods are blocking (call them in a thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def open(self) -> None:
        """Open (creating when needed) the file and its table."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS records (tbl TEXT NOT NULL, uri TEXT NOT NULL, "
            "sort_key TEXT NOT NULL, json BLOB NOT NULL, PRIMARY KEY (tbl, uri))"
        )
        db.execute("CREATE INDEX IF NOT EXISTS records_order ON records (tbl, sort_key)")
        self._db = db

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("Staging is not open")
        return self._db

    def write(self, records: Sequence[StagedRecord]) -> None:
        """Upsert ``records`` in one transaction."""
        with self._lock:
            db = self._conn()
            db.execute("BEGIN")
            try:
                db.executemany(
                    "INSERT INTO records (tbl, uri, sort_key, json) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (tbl, uri) DO UPDATE SET "
                    "sort_key = excluded.sort_key, json = excluded.json",
                    [(r.table, r.uri, r.sort_key, r.json) for r in records],
                )
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def counts(self) -> dict[str, int]:
        """Records per table."""
        with self._lock:
            rows = self._conn().execute("SELECT tbl, count(*) FROM records GROUP BY tbl")
            return {str(table): int(count) for table, count in rows}

    def stream(self, table: str, batch: int = 1000) -> Iterator[list[bytes]]:
        """The JSON of every record of ``table`` in ``sort_key`` order, ``batch`` at a time."""
        with self._lock:
            cursor = self._conn().execute(
                "SELECT json FROM records WHERE tbl = ? ORDER BY sort_key, uri", (table,)
            )
            rows = cursor.fetchmany(batch)
        while rows:
            yield [bytes(row[0]) for row in rows]
            with self._lock:
                rows = cursor.fetchmany(batch)

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def remove(self) -> None:
        """Close and delete the file (and SQLite's side files)."""
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
