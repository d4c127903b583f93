"""The read-only report link: anyone with it reads the report (JSON, Markdown, DOCX, the answers as
CSV) as participants may; everyone in the meeting learns of it from the meeting stream; the
organiser revokes it and every copy then answers 404."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from app.realtime.eventlog import EventRecord, meeting_stream
from app.vocabulary import Phase
from tests.reports.consultation import ANSWERS, MERGED, Consultation
from tests.reports.reading import DocxReport, MarkdownReport, csv_rows


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


async def test_the_report_link_opens_the_report_until_revoked(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.BREAKOUTS)
    made = await c.organiser.post(c.url("/report-link"))
    assert made.status_code == 201, made.text
    link = made.json()
    token = link["json_url"].rsplit("/", 1)[1]
    assert link["url"] == f"http://testserver/reports/{token}"
    assert (await c.organiser.post(c.url("/report-link"))).json() == link  # asking again: the same link
    assert (await c.organiser.get(c.url("/report-link"))).json() == link

    shared = await c.anonymous.get(_path(link["json_url"]))
    assert shared.status_code == 200, shared.text
    report = shared.json()
    assert report["meeting"]["title"] == "Think tank policy session on migrant smuggling"
    assert (
        report["participation"]["participants_sentence"]
        == "14 participants (6 female, 6 male, 1 another, 1 undisclosed)"
    )
    for secret in (
        "Zara Zaman",
        "Silent Lynx",
        "Dipu Das",
        "A draft only the moderators may read",
        "Buy cheap watches",
    ):
        assert secret not in shared.text
    assert "Bright Plover" in shared.text  # anonymous to peers: the pseudonym, as in the report
    # R3.2 shows its answers only after close and is still live: not on the shared link yet.
    assert "Radio dramas changed minds" not in shared.text
    organiser_report = (await c.organiser.get(c.url("/report"))).text
    assert "Radio dramas changed minds" in organiser_report

    markdown = await c.anonymous.get(_path(link["markdown_url"]))
    assert markdown.status_code == 200
    # A reader of the link may ask for the report's own words in Bengali, and only in a language
    # with a catalogue.
    in_bengali = await c.anonymous.get(_path(link["markdown_url"]), params={"language": "bn"})
    assert in_bengali.status_code == 200 and "একাধিক কক্ষে উঠে আসা বিষয়:" in in_bengali.text
    assert (await c.anonymous.get(_path(link["json_url"]), params={"language": "bn"})).json()["language"] == "bn"
    refused = await c.anonymous.get(_path(link["docx_url"]), params={"language": "fr"})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"
    parsed = MarkdownReport.parse(markdown.text)
    # The link shows fewer answers than the organiser's report (not R3.2's yet): its notes cite the
    # numbers of its own annex.
    dipu = ANSWERS["s1_dipu"][3]
    assert f"Room 2, S1, answer {parsed.annex_number('Room 2', dipu)}: “{dipu}”" in parsed.note_of_line(
        "raised in 3 of 3 rooms"
    )
    docx = await c.anonymous.get(_path(link["docx_url"]))
    assert docx.status_code == 200
    assert "Bright Plover" in DocxReport.parse(docx.content).text

    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for wrong in (tampered, "nonsense", token.split(".")[0]):
        assert (await c.anonymous.get(f"/api/reports/{wrong}")).status_code == 404

    for reader in (c.participant, c.moderator, c.observer):
        assert (await reader.post(c.url("/report-link"))).status_code == 403
        assert (await reader.delete(c.url("/report-link"))).status_code == 403
    assert (await c.stranger.post(c.url("/report-link"))).status_code == 404
    assert (await c.stranger.delete(c.url("/report-link"))).status_code == 404

    revoked = await c.organiser.delete(c.url("/report-link"))
    assert revoked.status_code == 204
    for url in (link["json_url"], link["markdown_url"], link["docx_url"]):
        gone = await c.anonymous.get(_path(url))
        assert gone.status_code == 404, url
        assert gone.json()["code"] == "not_found"
    assert (await c.organiser.get(c.url("/report-link"))).status_code == 404

    renewed = (await c.organiser.post(c.url("/report-link"))).json()
    assert renewed["json_url"] != link["json_url"]
    assert (await c.anonymous.get(_path(renewed["json_url"]))).status_code == 200
    assert (await c.anonymous.get(_path(link["json_url"]))).status_code == 404


async def test_the_report_link_serves_the_answers_it_may_show_as_csv(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.BREAKOUTS)
    link = (await c.organiser.post(c.url("/report-link"))).json()
    assert link["csv_url"] == link["json_url"] + "/answers.csv"

    shared = await c.anonymous.get(_path(link["csv_url"]))
    assert shared.status_code == 200, shared.text
    assert shared.headers["content-type"].startswith("text/csv")
    assert (
        shared.headers["content-disposition"]
        == 'attachment; filename="think-tank-policy-session-on-migrant-smuggling-answers.csv"'
    )
    rows = {row["answer_id"]: row for row in csv_rows(shared.content)}
    merged_key, _, sources = MERGED
    shown = set(ANSWERS) - {key for key, answer in ANSWERS.items() if answer[5]} - set(sources) - {"r32_gita"}
    assert set(rows) == {str(c.answers[key]) for key in shown | {merged_key}}
    assert {row["hidden"] for row in rows.values()} == {"false"}
    assert rows[str(c.answers["s1_dipu"])]["author"] == "Bright Plover"  # anonymous to peers: the pseudonym
    for secret in ("Dipu Das", "Zara Zaman", "Silent Lynx", "Buy cheap watches", "Radio dramas changed minds"):
        assert secret not in shared.text

    await c.organiser.delete(c.url("/report-link"))
    gone = await c.anonymous.get(_path(link["csv_url"]))
    assert gone.status_code == 404
    assert gone.json() == {
        "code": "not_found",
        "message": "this report link is not valid; ask the organiser for a new one",
        "details": None,
    }


async def _shared_url_seen_by(reader: httpx.AsyncClient, meeting_id: uuid.UUID) -> str | None:
    snapshot = await reader.get(
        "/api/live/snapshot", params={"meeting_id": str(meeting_id), "stream": f"meeting:{meeting_id}"}
    )
    assert snapshot.status_code == 200, snapshot.text
    url: str | None = snapshot.json()["state"]["report_url"]
    return url


async def test_everyone_in_the_meeting_sees_the_shared_link_until_it_is_revoked(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.CLOSED)
    readers = (c.organiser, c.moderator, c.participant, c.observer)
    assert [await _shared_url_seen_by(reader, c.meeting_id) for reader in readers] == [None] * 4

    link = (await c.organiser.post(c.url("/report-link"))).json()
    assert [await _shared_url_seen_by(reader, c.meeting_id) for reader in readers] == [link["url"]] * 4
    events = await _report_link_events(c)
    assert [event.payload for event in events] == [{"url": link["url"]}]
    await c.organiser.post(c.url("/report-link"))  # asking again tells nobody again
    assert len(await _report_link_events(c)) == 1

    assert (await c.organiser.delete(c.url("/report-link"))).status_code == 204
    assert [await _shared_url_seen_by(reader, c.meeting_id) for reader in readers] == [None] * 4
    assert [event.payload for event in await _report_link_events(c)] == [{"url": link["url"]}, {"url": None}]
    assert (await c.organiser.delete(c.url("/report-link"))).status_code == 204  # already revoked: no event
    assert len(await _report_link_events(c)) == 2


async def _report_link_events(c: Consultation) -> list[EventRecord]:
    async with c.state.database.reading() as session:
        rows = await session.scalars(
            select(EventRecord)
            .where(EventRecord.stream == meeting_stream(c.meeting_id), EventRecord.type == "report.link_changed")
            .order_by(EventRecord.seq)
        )
        return list(rows)
