"""The read-only report link: anyone with it reads the report as participants may; the organiser
revokes it and every copy then answers 404."""

from __future__ import annotations

from app.vocabulary import Phase
from tests.reports.consultation import Consultation
from tests.reports.reading import DocxReport, MarkdownReport, ref


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
    parsed = MarkdownReport.parse(markdown.text)
    assert ref(c.answers["s1_dipu"]) in parsed.note_of_line("raised in 3 of 3 rooms")
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
