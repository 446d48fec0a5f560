"""Routing forms and their submissions (reference §8 "RoutingForm", "RoutingFormSubmission")."""

from __future__ import annotations

from typing import Any

import msgspec

from ._base import Model, Timestamp
from .invitees import Tracking

__all__ = [
    "RoutingForm",
    "RoutingFormQuestion",
    "RoutingFormSubmission",
    "SubmissionAnswer",
    "SubmissionResult",
]


class RoutingFormQuestion(Model):
    """One question of a routing form.

    ``type`` is ``name``, ``text``, ``email``, ``phone``, ``textarea``,
    ``select`` or ``radios``; ``answer_choices`` is null for free-text types.
    """

    uuid: str | None = None
    name: str | None = None
    type: str | None = None
    required: bool | None = None
    answer_choices: list[str] | None = None


class RoutingForm(Model):
    """A routing form (``status``: ``draft`` or ``published``)."""

    uri: str
    organization: str | None = None
    name: str | None = None
    status: str | None = None
    questions: list[RoutingFormQuestion] = msgspec.field(default_factory=list)
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class SubmissionAnswer(Model):
    """A submitter's answer to one routing-form question."""

    question_uuid: str | None = None
    question: str | None = None
    answer: str | None = None


class SubmissionResult(Model):
    """Where the submitter was routed.

    ``type`` ``event_type`` or ``external_url`` carries a URI/URL string in
    ``value``; ``custom_message`` carries ``{"headline": ..., "body": ...}``.
    """

    type: str | None = None
    value: str | dict[str, Any] | None = None


class RoutingFormSubmission(Model):
    """One submission of a routing form; ``submitter`` is an invitee URI or null."""

    uri: str
    routing_form: str | None = None
    questions_and_answers: list[SubmissionAnswer] = msgspec.field(default_factory=list)
    tracking: Tracking | None = None
    result: SubmissionResult | None = None
    submitter: str | None = None
    submitter_type: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
