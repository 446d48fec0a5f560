"""client.routing_forms and client.routing_form_submissions."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, assert_round_trips, fixture, page_body

from calendly_async import Calendly, InvalidInputError
from calendly_async.models.routing_forms import (
    RoutingForm,
    RoutingFormSubmission,
    SubmissionResult,
)

FORMS = re.compile(rf"^{re.escape(BASE)}/routing_forms(\?.*)?$")
SUBMISSIONS = re.compile(rf"^{re.escape(BASE)}/routing_form_submissions(\?.*)?$")
UUID = "AAAAAAAAAAAAAAAA"


async def test_list_forms_sends_organization_uri_and_sort(
    client: Calendly, api: aioresponses
) -> None:
    api.get(FORMS, payload=page_body(fixture("list_routing_forms")))
    forms = await client.routing_forms.list("ORG1", sort="created_at:desc").collect()
    assert [f.name for f in forms] == ["ACME Demo"]
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/routing_forms")
    assert kwargs["params"] == {
        "organization": f"{BASE}/organizations/ORG1",
        "sort": "created_at:desc",
        "count": "100",
    }


async def test_list_forms_fixture_round_trips(client: Calendly, api: aioresponses) -> None:
    payload = fixture("list_routing_forms")
    api.get(FORMS, payload=page_body(payload))
    forms = await client.routing_forms.list(f"{BASE}/organizations/{UUID}").collect()
    assert len(forms) == len(payload)
    for original, form in zip(payload, forms, strict=True):
        assert isinstance(form, RoutingForm)
        assert_round_trips(original, form)


@pytest.mark.parametrize("ident", [UUID, f"{BASE}/routing_forms/{UUID}"])
async def test_get_form_round_trips(client: Calendly, api: aioresponses, ident: str) -> None:
    payload = fixture("get_routing_form")
    api.get(f"{BASE}/routing_forms/{UUID}", payload=payload)
    form = await client.routing_forms.get(ident)
    assert [q.answer_choices for q in form.questions] == [
        ["IT & Software", "Financial Services", "Entertainment"],
        None,
    ]
    assert_round_trips(payload["resource"], form)


async def test_list_submissions_sends_form_uri(client: Calendly, api: aioresponses) -> None:
    api.get(SUBMISSIONS, payload=page_body(fixture("list_routing_form_submissions")))
    await client.routing_form_submissions.list(UUID, sort="created_at:asc", count=5).collect()
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/routing_form_submissions")
    assert kwargs["params"] == {
        "form": f"{BASE}/routing_forms/{UUID}",
        "sort": "created_at:asc",
        "count": "5",
    }


async def test_list_submissions_fixture_round_trips(client: Calendly, api: aioresponses) -> None:
    payload = fixture("list_routing_form_submissions")
    api.get(SUBMISSIONS, payload=page_body(payload))
    submissions = await client.routing_form_submissions.list(
        f"{BASE}/routing_forms/{UUID}"
    ).collect()
    assert len(submissions) == len(payload)
    for original, submission in zip(payload, submissions, strict=True):
        assert isinstance(submission, RoutingFormSubmission)
        assert_round_trips(original, submission)


@pytest.mark.parametrize("ident", [UUID, f"{BASE}/routing_form_submissions/{UUID}"])
async def test_get_submission_round_trips(client: Calendly, api: aioresponses, ident: str) -> None:
    payload = fixture("get_routing_form_submission")
    api.get(f"{BASE}/routing_form_submissions/{UUID}", payload=payload)
    submission = await client.routing_form_submissions.get(ident)
    assert submission.result == SubmissionResult(
        type="event_type", value=f"{BASE}/event_types/GBGBDCAADAEDCRZ2"
    )
    assert submission.questions_and_answers[0].answer == "IT & Software"
    assert_round_trips(payload["resource"], submission)


def test_custom_message_result_keeps_its_object_value() -> None:
    raw = fixture("get_routing_form_submission")["resource"]
    raw["result"] = {"type": "custom_message", "value": {"headline": "Sorry", "body": "No fit"}}
    raw["submitter"] = None
    raw["submitter_type"] = None
    submission = msgspec.json.decode(msgspec.json.encode(raw), type=RoutingFormSubmission)
    assert submission.result == SubmissionResult(
        type="custom_message", value={"headline": "Sorry", "body": "No fit"}
    )
    assert_round_trips(raw, submission)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.routing_forms.list(""),
        lambda c: c.routing_forms.list(f"{BASE}/users/{UUID}"),
        lambda c: c.routing_forms.list(UUID, count=101),
        lambda c: c.routing_form_submissions.list(f"{BASE}/event_types/{UUID}"),
        lambda c: c.routing_form_submissions.list(None),
    ],
)
async def test_lists_refuse_bad_input_before_sending(
    client: Calendly, api: aioresponses, call: Any
) -> None:
    with pytest.raises(InvalidInputError):
        call(client)
    assert sent(api) == []


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.routing_forms.get(f"{BASE}/routing_form_submissions/{UUID}"),
        lambda c: c.routing_form_submissions.get(f"{BASE}/routing_forms/{UUID}"),
        lambda c: c.routing_form_submissions.get(""),
    ],
)
async def test_gets_refuse_uris_of_the_wrong_collection(
    client: Calendly, api: aioresponses, call: Any
) -> None:
    with pytest.raises(InvalidInputError):
        await call(client)
    assert sent(api) == []


async def test_submissions_over_loopback_page_until_token_is_null(serve: Serve) -> None:
    item = fixture("list_routing_form_submissions")[0]
    forms_seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        forms_seen.append(request.query["form"])
        token = request.query.get("page_token")
        uri = f"{BASE}/routing_form_submissions/{token or 'first'}"
        return web.json_response(page_body([{**item, "uri": uri}], None if token else "second"))

    app = web.Application()
    app.router.add_get("/routing_form_submissions", handler)
    url = await serve(app)
    async with Calendly(token=TOKEN, base_url=url) as client:
        submissions = await client.routing_form_submissions.list("F1").collect()
    assert [s.uri.rsplit("/", 1)[1] for s in submissions] == ["first", "second"]
    assert forms_seen == [f"{BASE}/routing_forms/F1"] * 2
