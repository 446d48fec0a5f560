"""Checkpoints: which windows are finished and how far the others got.

The state is plain data (``Checkpoint``, JSON-ready) behind a small
``CheckpointStore`` protocol, so another store (a database row for a queued
job) can replace the file one. ``FileCheckpointStore`` writes a temporary file
and ``os.replace``-s it: a kill at any moment leaves the old or the new
checkpoint, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import msgspec

from .._params import format_time, parse_time
from ..errors import InvalidInputError
from ._plan import Plan

__all__ = ["Checkpoint", "CheckpointStore", "FileCheckpointStore", "WindowState"]

VERSION = 1


@dataclass(slots=True)
class WindowState:
    """Progress of one window.

    Events are listed in ``start_time`` order and finished (with all their
    invitees committed) in that order, so progress is a cursor: every event
    before ``cursor`` is done, and of those starting exactly at ``cursor``, the
    ones in ``seen``. A restart lists from ``cursor`` (inclusive) and skips ``seen``.
    """

    done: bool = False
    cursor: str | None = None
    seen: list[str] = field(default_factory=list)
    events: int = 0

    def advance(self, start_time: datetime, uri: str) -> None:
        """Record that the event ``uri`` starting at ``start_time`` is finished."""
        stamp = format_time(start_time)
        if stamp == self.cursor:
            self.seen.append(uri)
        else:
            self.cursor, self.seen = stamp, [uri]
        self.events += 1

    def finished(self, start_time: datetime | None, uri: str) -> bool:
        """Whether an event listed again after a restart was already finished."""
        if self.cursor is None or start_time is None:
            return False
        cursor = parse_time(self.cursor)
        return start_time < cursor or (start_time == cursor and uri in self.seen)


@dataclass(slots=True)
class Checkpoint:
    """The whole state of one export (what a resume continues from)."""

    plan: Plan
    windows: list[WindowState]
    extras_done: list[str] = field(default_factory=list)
    finished: bool = False

    @classmethod
    def start(cls, plan: Plan) -> Checkpoint:
        """A fresh checkpoint: nothing done yet."""
        return cls(plan=plan, windows=[WindowState() for _ in plan.windows])

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "version": VERSION,
            "plan": self.plan.to_json(),
            "windows": [
                {"done": w.done, "cursor": w.cursor, "seen": w.seen, "events": w.events}
                for w in self.windows
            ],
            "extras_done": self.extras_done,
            "finished": self.finished,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Checkpoint:
        """The inverse of ``to_json``; ``InvalidInputError`` for another version."""
        if data.get("version") != VERSION:
            raise InvalidInputError(f"checkpoint version {data.get('version')!r} is not {VERSION}")
        return cls(
            plan=Plan.from_json(data["plan"]),
            windows=[
                WindowState(
                    done=bool(w["done"]),
                    cursor=w.get("cursor"),
                    seen=list(w.get("seen", [])),
                    events=int(w.get("events", 0)),
                )
                for w in data["windows"]
            ],
            extras_done=list(data.get("extras_done", [])),
            finished=bool(data.get("finished")),
        )

    @property
    def windows_done(self) -> int:
        """How many windows are finished."""
        return sum(1 for w in self.windows if w.done)


class CheckpointStore(Protocol):
    """Where checkpoints live. Methods are blocking (the export calls them in a thread)."""

    def load(self) -> Checkpoint | None:
        """The saved checkpoint, or ``None`` when there is none."""
        ...

    def save(self, checkpoint: Checkpoint) -> None:
        """Replace the saved checkpoint atomically."""
        ...


class FileCheckpointStore:
    """A checkpoint as a JSON file, replaced atomically (temporary file + ``os.replace``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"FileCheckpointStore({str(self.path)!r})"

    def load(self) -> Checkpoint | None:
        """The checkpoint in the file, or ``None`` when there is no file.

        Raises
        ------
        InvalidInputError
            The file is not a checkpoint this version can read.
        """
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            return Checkpoint.from_json(msgspec.json.decode(data))
        except (msgspec.DecodeError, KeyError, TypeError, ValueError) as exc:
            raise InvalidInputError(f"{self.path} is not a readable checkpoint: {exc}") from None

    def save(self, checkpoint: Checkpoint) -> None:
        """Write the checkpoint to a temporary file, fsync it, and move it into place."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(
            prefix=self.path.name, suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(msgspec.json.encode(checkpoint.to_json()))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(name, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
            raise

    def remove(self) -> None:
        """Delete the checkpoint."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
