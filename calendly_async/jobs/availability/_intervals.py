"""Interval arithmetic on half-open ``[start, end)`` periods of time. Pure, no I/O.

Every function takes intervals in any order (overlapping or not) and returns a
*normal* list: sorted, non-empty, pairwise disjoint and non-touching (two periods
that meet, ``[9, 10)`` and ``[10, 11)``, become one ``[9, 11)``). That makes the
result of each operation the maximal periods of the set it describes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

__all__ = ["Interval", "at_least", "clip", "intersect", "intersect_all", "normalize", "subtract"]


class Interval(NamedTuple):
    """A half-open period ``[start, end)``: ``start`` is in it, ``end`` is not."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        """``end - start``."""
        return self.end - self.start


def normalize(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort, drop empty periods, and merge overlapping or touching ones."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i.end > i.start):
        if merged and start <= merged[-1].end:
            if end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, end)
        else:
            merged.append(Interval(start, end))
    return merged


def subtract(base: Iterable[Interval], removed: Iterable[Interval]) -> list[Interval]:
    """The parts of ``base`` outside every period of ``removed``."""
    holes = normalize(removed)
    result: list[Interval] = []
    index = 0
    for start, end in normalize(base):
        # Holes ending before this period cannot touch it or any later one.
        while index < len(holes) and holes[index].end <= start:
            index += 1
        cursor = start
        probe = index
        while probe < len(holes) and holes[probe].start < end:
            if holes[probe].start > cursor:
                result.append(Interval(cursor, holes[probe].start))
            cursor = max(cursor, holes[probe].end)
            probe += 1
        if cursor < end:
            result.append(Interval(cursor, end))
    return result


def intersect(first: Iterable[Interval], second: Iterable[Interval]) -> list[Interval]:
    """The periods in both ``first`` and ``second``."""
    a, b = normalize(first), normalize(second)
    result: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i].start, b[j].start)
        end = min(a[i].end, b[j].end)
        if start < end:
            result.append(Interval(start, end))
        if a[i].end <= b[j].end:
            i += 1
        else:
            j += 1
    return result


def intersect_all(sets: Sequence[Iterable[Interval]]) -> list[Interval]:
    """The periods in every one of ``sets`` (no sets: nothing)."""
    if not sets:
        return []
    result = normalize(sets[0])
    for other in sets[1:]:
        result = intersect(result, other)
    return result


def clip(intervals: Iterable[Interval], start: datetime, end: datetime) -> list[Interval]:
    """The parts of ``intervals`` inside ``[start, end)``."""
    return intersect(intervals, [Interval(start, end)])


def at_least(intervals: Iterable[Interval], duration: timedelta) -> list[Interval]:
    """The maximal periods of ``intervals`` lasting ``duration`` or longer."""
    return [i for i in normalize(intervals) if i.end - i.start >= duration]
