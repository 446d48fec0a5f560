"""Jobs built on the client: many requests as one typed operation, concurrent and
sharing the client's rate-limit budget.

Bulk export of scheduled events and invitees (resumable)::

    from calendly_async import Calendly
    from calendly_async.jobs import export

    async with Calendly(token=TOKEN) as client:
        summary = await export(client, "./export", organization=ORG_URI,
                               since="2026-01-01T00:00:00Z", until="2026-02-01T00:00:00Z")

The pieces are small and replaceable: the plan (``Plan``, ``Window``,
``plan_windows``) is plain data, the checkpoint lives behind ``CheckpointStore``
(``FileCheckpointStore`` by default) and the outputs behind ``Sink``
(``NdjsonSink``, ``CsvSink``, ``SqliteSink``); ``TABLES`` is the column contract.

Availability (``calendly_async.jobs.availability``)::

    from datetime import timedelta
    from calendly_async.jobs import free_time, open_slots

    slots = await open_slots(client, organization=org_uri, days=60)
    common = await free_time(client, [alice, bob], min_duration=timedelta(minutes=30))
"""

from ._checkpoint import Checkpoint, CheckpointStore, FileCheckpointStore, WindowState
from ._export import WORK_DIR, UnfinishedExportError, export
from ._plan import FORMATS, INCLUDES, Format, Include, Plan, Scope, Window, plan_windows
from ._sinks import CsvSink, NdjsonSink, Record, Sink, SqliteSink
from ._stats import ExportProgress, ExportSummary
from ._tables import TABLES, Column, Table
from .availability import (
    FreeTime,
    Interval,
    LookupRange,
    OpenSlot,
    OpenSlots,
    UserFreeTime,
    free_time,
    open_slots,
)

__all__ = [
    "FORMATS",
    "INCLUDES",
    "TABLES",
    "WORK_DIR",
    "Checkpoint",
    "CheckpointStore",
    "Column",
    "CsvSink",
    "ExportProgress",
    "ExportSummary",
    "FileCheckpointStore",
    "Format",
    "FreeTime",
    "Include",
    "Interval",
    "LookupRange",
    "NdjsonSink",
    "OpenSlot",
    "OpenSlots",
    "Plan",
    "Record",
    "Scope",
    "Sink",
    "SqliteSink",
    "Table",
    "UnfinishedExportError",
    "UserFreeTime",
    "Window",
    "WindowState",
    "export",
    "free_time",
    "open_slots",
    "plan_windows",
]
