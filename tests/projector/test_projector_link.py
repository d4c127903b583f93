"""The projector link over REST: the organiser makes, reads and revokes it; with it, anyone reads
what the room may see (the meeting stream's snapshot, each room's current question and results,
the plenary) without a participant's name or email; the presenter's page travels with the focus."""

from __future__ import annotations

import httpx

from app.vocabulary import Phase
from tests.reports.consultation import PEOPLE, Consultation

NAMES = [display for display, *_ in PEOPLE.values()] + [pseudonym for _, pseudonym, *_ in PEOPLE.values()]


def _token(link: dict[str, str]) -> str:
    return link["url"].rsplit("/", 1)[1]


async def _reads(client: httpx.AsyncClient, token: str) -> dict[str, httpx.Response]:
    return {
        suffix: await client.get(f"/api/projector/{token}{suffix}")
        for suffix in ("", "/snapshot", "/questions", "/plenary")
    }


async def test_the_projector_link_shows_what_the_room_may_see_without_names(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.BREAKOUTS)
    assert (await c.organiser.get(c.url("/projector-link"))).json() == {"url": None}
    made = await c.organiser.post(c.url("/projector-link"))
    assert made.status_code == 201, made.text
    link = made.json()
    assert link["url"].startswith("http://testserver/present/")
    assert (await c.organiser.post(c.url("/projector-link"))).json() == link
    assert (await c.organiser.get(c.url("/projector-link"))).json() == link

    reads = await _reads(c.anonymous, _token(link))
    for suffix, read in reads.items():
        assert read.status_code == 200, (suffix, read.text)
        for name in NAMES:
            assert name not in read.text, (suffix, name)
        assert "@" not in read.text, suffix
    intro = reads[""].json()
    assert intro["meeting_id"] == str(c.meeting_id)
    assert intro["join_url"] == f"http://testserver/join?code={intro['join_code']}"
    assert reads["/snapshot"].json()["state"]["kind"] == "meeting"

    # Each room's current question: R3.2 is live in Room 3 and shows its answers only after close.
    current = {entry["room_name"]: entry for entry in reads["/questions"].json()}
    assert current["Room 3"]["question"]["code"] == "R3.2"
    assert current["Room 3"]["state"] == "live" and current["Room 3"]["tally"] is None
    plenary = reads["/plenary"].text
    assert "Radio dramas changed minds" not in plenary  # shown after close, not closed yet
    assert "The law has no offence of smuggling on its own" in plenary  # a named answer, its author unnamed
    assert "A draft only the moderators may read" not in plenary


async def test_the_presenter_page_travels_with_the_focus_and_is_bounded(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    room = str(c.rooms[1])
    moved = await c.organiser.put(c.url("/plenary/focus"), json={"room_id": room, "page": 2})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["room_id"], moved.json()["page"]) == (room, 2)
    link = (await c.organiser.post(c.url("/projector-link"))).json()
    snapshot = (await c.anonymous.get(f"/api/projector/{_token(link)}/snapshot")).json()
    assert snapshot["state"]["plenary"]["page"] == 2
    assert (await c.anonymous.get(f"/api/projector/{_token(link)}/plenary")).json()["focus"]["page"] == 2
    for page in (-1, 100, True, None):
        refused = await c.organiser.put(c.url("/plenary/focus"), json={"room_id": room, "page": page})
        assert refused.status_code == 422, (page, refused.text)
    after = (await c.anonymous.get(f"/api/projector/{_token(link)}/snapshot")).json()
    assert after["state"]["plenary"]["page"] == 2


async def test_a_revoked_projector_link_reads_as_missing_and_writes_nothing(consultation: Consultation) -> None:
    c = consultation
    link = (await c.organiser.post(c.url("/projector-link"))).json()
    token = _token(link)
    for reader in (c.participant, c.moderator, c.observer):
        assert (await reader.post(c.url("/projector-link"))).status_code == 403
        assert (await reader.delete(c.url("/projector-link"))).status_code == 403
    assert (await c.stranger.post(c.url("/projector-link"))).status_code == 404
    assert (await c.anonymous.post(c.url("/projector-link"))).status_code == 401
    # The link is no session: as a bearer token it writes nothing.
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await c.anonymous.put(c.url("/plenary/focus"), json={}, headers=bearer)).status_code == 401
    assert (await c.anonymous.delete(c.url("/projector-link"), headers=bearer)).status_code == 401

    assert (await c.organiser.delete(c.url("/projector-link"))).status_code == 204
    assert (await c.organiser.delete(c.url("/projector-link"))).status_code == 204  # again: nothing to do
    for suffix, read in (await _reads(c.anonymous, token)).items():
        assert read.status_code == 404, suffix
        assert read.json()["code"] == "projector_link_invalid"
        assert set(read.json()) == {"code", "message", "details"}
    assert (await c.anonymous.post(f"/api/projector/{token}/tickets")).status_code == 404
    remade = (await c.organiser.post(c.url("/projector-link"))).json()
    assert remade != link  # a new link; the old one stays dead
    assert (await c.anonymous.get(f"/api/projector/{token}")).status_code == 404
