"""The shared plenary view carries an ETag: a reader who has these bytes gets 304 and no body; a
change the view shows gives new bytes and a new tag, never the old view after the change is
committed. Readers checked together each get their own answer, as when they ask alone."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from app.plenary import reader_checks
from app.plenary.reader_checks import ReaderRequest
from app.vocabulary import Phase
from tests.reports.consultation import Consultation


async def test_a_reader_who_has_the_view_gets_304_without_a_body(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    first = await c.participant.get(c.url("/plenary"), headers={"accept-encoding": "gzip"})
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"

    again = await c.participant.get(c.url("/plenary"), headers={"accept-encoding": "gzip", "if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    # A list of tags, and the weak form of the tag, match too.
    listed = await c.observer.get(
        c.url("/plenary"), headers={"accept-encoding": "gzip", "if-none-match": f'"other", W/{etag}'}
    )
    assert listed.status_code == 304

    # The uncompressed bytes have a tag of their own: the gzip copy's tag does not match them.
    plain = await c.participant.get(c.url("/plenary"), headers={"accept-encoding": "identity", "if-none-match": etag})
    assert plain.status_code == 200
    assert plain.headers["etag"] != etag
    assert plain.json() == first.json()
    plain_again = await c.participant.get(
        c.url("/plenary"), headers={"accept-encoding": "identity", "if-none-match": plain.headers["etag"]}
    )
    assert plain_again.status_code == 304


async def test_a_change_gives_new_bytes_and_a_new_tag(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    before = await c.participant.get(c.url("/plenary"))
    await c.add_answer("S1", 2, "esha", "Publish the shelter waiting lists weekly")
    after = await c.participant.get(c.url("/plenary"), headers={"if-none-match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert "Publish the shelter waiting lists weekly" in after.text


async def test_the_staff_tag_never_matches_the_peers_view(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    staff = await c.organiser.get(c.url("/plenary"))
    peers = await c.participant.get(c.url("/plenary"), headers={"if-none-match": staff.headers["etag"]})
    assert peers.status_code == 200
    assert peers.headers["etag"] != staff.headers["etag"]


async def test_no_reader_who_asks_after_a_change_is_committed_gets_the_view_before_it(
    consultation: Consultation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader arriving while a batch of checks runs is checked in the next batch: its version is
    read after the change it may have seen committed."""
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    checks = c.state.plenary_views.checks
    read_versions = reader_checks.plenary_versions
    late_reader_queued = asyncio.Event()
    late: list[asyncio.Task[httpx.Response]] = []
    original_check = checks.check

    async def check_spied(request: ReaderRequest) -> reader_checks.Checked:
        late_reader_queued.set()  # set before the line grows, which happens before ``check`` first waits
        return await original_check(request)

    async def change_after_reading(session: Any, meeting_ids: set[uuid.UUID]) -> Any:
        versions = await read_versions(session, meeting_ids)
        if not late:  # the first batch: it has read the version; a change is committed now
            await c.add_answer("S1", 3, "esha", "Open a night shelter by the station")
            monkeypatch.setattr(checks, "check", check_spied)
            late.append(asyncio.create_task(c.observer.get(c.url("/plenary"))))
            await late_reader_queued.wait()
        return versions

    built = await c.participant.get(c.url("/plenary"))  # the view of this version is kept
    monkeypatch.setattr(reader_checks, "plenary_versions", change_after_reading)
    early = await c.participant.get(c.url("/plenary"))
    later = await late[0]
    assert early.status_code == later.status_code == 200
    assert early.content == built.content  # asked before the change: the kept view
    assert "Open a night shelter by the station" not in early.text
    assert "Open a night shelter by the station" in later.text
    assert checks.batches >= 2


async def test_readers_checked_together_each_get_their_own_answer(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.BREAKOUTS)  # before report-back: staff only
    question = c.questions["S1"]
    other_meeting = uuid.uuid4()
    asks = [
        (c.organiser, c.url("/plenary")),
        (c.moderator, c.url("/plenary")),
        (c.participant, c.url("/plenary")),
        (c.observer, c.url("/plenary")),
        (c.stranger, c.url("/plenary")),
        (c.anonymous, c.url("/plenary")),
        (c.organiser, c.url(f"/plenary?question_id={question}")),
        (c.organiser, c.url(f"/plenary?question_id={uuid.uuid4()}")),
        (c.organiser, f"/api/meetings/{other_meeting}/plenary"),
    ]
    batches = c.state.plenary_views.checks.batches
    responses = await asyncio.gather(*(client.get(url) for client, url in asks))
    assert c.state.plenary_views.checks.batches < batches + len(asks)  # some were checked together
    answers = [(r.status_code, r.json().get("code") if r.status_code != 200 else None) for r in responses]
    assert answers == [
        (200, None),
        (200, None),
        (403, "plenary_not_open"),
        (403, "plenary_not_open"),
        (404, "not_found"),
        (401, "not_authenticated"),
        (200, None),
        (422, "invalid"),
        (404, "not_found"),
    ]
    assert _question_ids(responses[6].json()) == {str(question)}
    assert len(_question_ids(responses[0].json())) > 1


def _question_ids(view: dict[str, Any]) -> set[str]:
    return {entry["question"]["id"] for theme in view["themes"] for entry in theme["questions"]}
