"""The plenary view is built once per change and shared: many readers asking at once cause one
build per audience, a change the view shows causes one more, and the readers all get the same
bytes. Too many readers at once get 503 ``overloaded`` with ``Retry-After``, never a 500."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from app.admission import Admission, AdmissionLimits
from app.vocabulary import Phase
from tests.reports.consultation import Consultation

READERS = 40


async def _read_at_once(clients: list[httpx.AsyncClient], url: str) -> list[httpx.Response]:
    return list(await asyncio.gather(*(client.get(url) for client in clients)))


async def test_many_readers_at_once_cause_one_build_per_audience_and_change(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    views = c.state.plenary_views
    before = views.computations

    peers = [c.participant, c.observer] * (READERS // 2)
    responses = await _read_at_once([*peers, c.organiser, c.moderator], c.url("/plenary"))
    assert [r.status_code for r in responses] == [200] * len(responses)
    assert views.computations == before + 2  # the peers' view and the staff's, each built once
    peer_bodies = {r.content for r in responses[: len(peers)]}
    assert len(peer_bodies) == 1  # every peer got the same bytes
    assert responses[-1].content == responses[-2].content

    # The same version again: served as built.
    again = await _read_at_once(peers, c.url("/plenary"))
    assert {r.content for r in again} == peer_bodies
    assert views.computations == before + 2

    # A change the view shows moves the version: one more build, and everyone sees the change.
    await c.add_answer("S1", 2, "esha", "Share the shelter registry across districts")
    changed = await _read_at_once(peers, c.url("/plenary"))
    assert views.computations == before + 3
    assert len({r.content for r in changed}) == 1
    assert "Share the shelter registry across districts" in changed[0].text


async def test_the_shared_view_is_sent_compressed_to_readers_that_accept_gzip(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    compressed = await c.participant.get(c.url("/plenary"), headers={"accept-encoding": "gzip"})
    plain = await c.participant.get(c.url("/plenary"), headers={"accept-encoding": "identity"})
    assert compressed.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert compressed.json() == plain.json()  # httpx decodes the gzip
    assert int(compressed.headers["content-length"]) < int(plain.headers["content-length"])


async def test_too_many_readers_at_once_get_503_with_retry_after(
    consultation: Consultation, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    narrow = Admission("plenary", AdmissionLimits(slots=1, waiting=0, wait_s=5))
    monkeypatch.setattr(c.state.plenary_views, "readers", narrow)

    async with narrow.slot():  # one reader holds the only slot; nobody may wait
        refused = await c.participant.get(c.url("/plenary"))
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "2"
    body = refused.json()
    assert body["code"] == "overloaded"
    assert body["details"] == {"retry_after_s": 2}
    assert isinstance(body["message"], str) and body["message"]

    served = await c.participant.get(c.url("/plenary"))  # the slot is free again
    assert served.status_code == 200


async def test_a_reader_waiting_longer_than_the_limit_gets_503(
    consultation: Consultation, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    narrow = Admission("plenary", AdmissionLimits(slots=1, waiting=10, wait_s=0.05))
    monkeypatch.setattr(c.state.plenary_views, "readers", narrow)
    async with narrow.slot():
        refused = await c.participant.get(c.url("/plenary"))
    assert refused.status_code == 503
    assert refused.json()["code"] == "overloaded"
    assert refused.headers["retry-after"] == "2"


async def test_exports_beyond_their_line_get_503(consultation: Consultation, monkeypatch: pytest.MonkeyPatch) -> None:
    c = consultation
    narrow = Admission("export", AdmissionLimits(slots=1, waiting=0, wait_s=5))
    monkeypatch.setattr(c.state.heavy, "exports", narrow)
    async with narrow.slot():
        for path in ("/report.docx", "/report.md", "/answers.csv", "/answers.json", "/report"):
            refused = await c.organiser.get(c.url(path))
            assert refused.status_code == 503, path
            assert refused.json()["code"] == "overloaded"
            assert refused.headers["retry-after"] == "2"
    served = await c.organiser.get(c.url("/report.md"))
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/markdown")


async def test_a_database_pool_that_stays_busy_answers_503_not_500(consultation: Consultation) -> None:
    c = consultation
    engine = c.state.database.read_engine
    pool: Any = engine.pool
    pool._timeout = 0.2  # the wait for a free connection, 30 s by default
    held = []
    try:
        for _ in range(pool.size() + pool._max_overflow):
            held.append(await engine.connect())
        busy = await c.organiser.get(c.url("/rooms"))
    finally:
        for connection in held:
            await connection.close()
    assert busy.status_code == 503
    assert busy.json()["code"] == "overloaded"
    assert busy.headers["retry-after"] == "2"
    assert (await c.organiser.get(c.url("/rooms"))).status_code == 200
