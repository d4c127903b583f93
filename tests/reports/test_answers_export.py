"""Every answer as CSV and JSON: room, question, author or pseudonym as the anonymity allows,
votes and moderation state, parsed back and checked against what was recorded."""

from __future__ import annotations

from app.vocabulary import Anonymity
from tests.reports.consultation import ANSWERS, MERGED, PEOPLE, QUESTIONS, ROOMS, Consultation
from tests.reports.reading import csv_rows


async def test_every_answer_is_exported_with_its_provenance(consultation: Consultation) -> None:
    c = consultation
    response = await c.organiser.get(c.url("/answers.csv"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = {row["answer_id"]: row for row in csv_rows(response.content)}
    as_json = (await c.organiser.get(c.url("/answers.json"))).json()

    assert len(rows) == len(ANSWERS) + 1 == len(as_json)
    by_key = {key: rows[str(answer_id)] for key, answer_id in c.answers.items()}
    room_names = {name for name, _ in ROOMS}
    for key, (code, room, author, value, voters, hidden) in ANSWERS.items():
        row = by_key[key]
        assert row["room"] == ROOMS[room - 1][0] and row["room"] in room_names
        assert (row["question_code"], row["question_text"]) == (code, QUESTIONS[code][1])
        assert row["kind"] == QUESTIONS[code][2].value
        assert row["votes"] == str(len(voters))
        assert row["hidden"] == ("true" if hidden else "false")
        name, pseudonym = PEOPLE[author][:2]
        anonymity = QUESTIONS[code][3]
        expected = {Anonymity.NAMED: name, Anonymity.ANONYMOUS_TO_PEERS: pseudonym}.get(anonymity, "")
        assert row["author"] == expected, key
        if isinstance(value, str):
            assert row["text"] == value
        elif isinstance(value, list):
            assert row["choice_ids"] == " ".join(value)
        else:
            assert row["scale_value"] == str(value)
    merged_key, _, sources = MERGED
    assert by_key[merged_key]["merged_from"].split() == sorted(str(c.answers[s]) for s in sources)
    for source in sources:
        assert by_key[source]["merged_into"] == str(c.answers[merged_key])
    assert by_key["r21_bashir"]["choices"] == "Financial investigation; Joint investigation teams"
    for forbidden in ("Zara Zaman", "Silent Lynx", "main room"):
        assert forbidden not in response.text and forbidden not in str(as_json)

    first = next(item for item in as_json if item["answer_id"] == str(c.answers["s1_dipu"]))
    row = by_key["s1_dipu"]
    assert (first["room"], first["author"], first["votes"], first["hidden"]) == (
        row["room"],
        row["author"],
        int(row["votes"]),
        False,
    )
    zara = next(item for item in as_json if item["answer_id"] == str(c.answers["r31_zara"]))
    assert zara["author"] is None


async def test_a_formula_typed_as_an_answer_stays_text(consultation: Consultation) -> None:
    c = consultation
    await c.add_answer("S1", 1, "amina", '=HYPERLINK("http://example.org")')
    rows = csv_rows((await c.organiser.get(c.url("/answers.csv"))).content)
    assert '\'=HYPERLINK("http://example.org")' in [row["text"] for row in rows]
