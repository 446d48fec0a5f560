"""Jobs built on the client: today the bulk export of scheduled events and invitees.

::

    from calendly_async import Calendly
    from calendly_async.jobs import export

    async with Calendly(token=TOKEN) as client:
        summary = await export(client, "./export", organization=ORG_URI,
                               since="2026-01-01T00:00:00Z", until="2026-02-01T00:00:00Z")

The pieces are small and replaceable: the plan (``Plan``, ``Window``,
``plan_windows``) is plain data, the checkpoint lives behind ``CheckpointStore``
(``FileCheckpointStore`` by default) and the outputs behind ``Sink``
(``NdjsonSink``, ``CsvSink``, ``SqliteSink``); ``TABLES`` is the column contract.
"""

from ._checkpoint import Checkpoint, CheckpointStore, FileCheckpointStore, WindowState
from ._export import WORK_DIR, UnfinishedExportError, export
from ._plan import FORMATS, INCLUDES, Format, Include, Plan, Scope, Window, plan_windows
from ._sinks import CsvSink, NdjsonSink, Record, Sink, SqliteSink
from ._stats import ExportProgress, ExportSummary
from ._tables import TABLES, Column, Table

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
    "Include",
    "NdjsonSink",
    "Plan",
    "Record",
    "Scope",
    "Sink",
    "SqliteSink",
    "Table",
    "UnfinishedExportError",
    "Window",
    "WindowState",
    "export",
    "plan_windows",
]
