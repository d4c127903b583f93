"""The plenary model on a small meeting: confirmed findings with their answers, top answers by
votes, counts, distributions and divergence, cross-room groups, provenance and anonymity."""

from __future__ import annotations

from typing import Any

from app.vocabulary import Phase
from tests.plenary.events import meeting_events
from tests.reports.consultation import Consultation


def _question(plenary: dict[str, Any], code: str) -> dict[str, Any]:
    for theme in plenary["themes"]:
        for question in theme["questions"]:
            if question["question"]["code"] == code:
                found: dict[str, Any] = question
                return found
    raise AssertionError(f"no question {code} in the plenary view")


def _column(question: dict[str, Any], room_name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(column for column in question["rooms"] if column["room"]["name"] == room_name)
    return found


async def test_the_plenary_merges_every_room_with_provenance(consultation: Consultation) -> None:
    c = consultation
    response = await c.organiser.get(c.url("/plenary"))

    assert response.status_code == 200, response.text
    plenary = response.json()
    assert [theme["theme"] for theme in plenary["themes"]] == [
        "Criminalisation",
        "Criminal justice",
        "Demand side",
        "Shared",
    ]
    assert {room["room"]["name"]: room["participants"] for room in plenary["rooms"]} == {
        "Room 1": 3,
        "Room 2": 3,
        "Room 3": 4,
    }
    # A finding tied to no question sits under its room's theme.
    criminalisation = plenary["themes"][0]
    assert [finding["text"] for finding in criminalisation["findings"]] == [
        "National law needs an offence of migrant smuggling"
    ]
    assert criminalisation["findings"][0]["sources"][0]["id"] == str(c.answers["r11_amina"])

    shared = _question(plenary, "S1")
    assert shared["shared"] is True
    assert shared["rooms_answered"] == 3
    room_1, room_2, room_3 = (_column(shared, f"Room {n}") for n in (1, 2, 3))
    assert (room_1["answers"], room_2["answers"], room_3["answers"]) == (3, 2, 3)  # Farid's is hidden
    assert [a["id"] for a in room_1["top_answers"]] == [
        str(c.answers[key]) for key in ("s1_amina", "s1_chandra", "s1_bashir")
    ]
    assert [a["votes"] for a in room_1["top_answers"]] == [3, 2, 1]
    top = room_1["top_answers"][0]
    assert (top["room_id"], top["room_name"], top["question_code"]) == (str(c.rooms[1]), "Room 1", "S1")
    assert top["author"] == "Amina Rahman"  # anonymous to peers: organisers see the name
    # Only confirmed findings, each with the answers it cites.
    assert [f["text"] for f in room_1["findings"]] == ["Ratify the protocol within a year"]
    assert {s["id"] for s in room_1["findings"][0]["sources"]} == {
        str(c.answers[k]) for k in ("s1_amina", "s1_chandra")
    }
    assert [f["text"] for f in room_2["findings"]] == ["Ratification is urgent"]
    assert room_2["findings"][0]["endorsements"] == 1

    ratify = next(group for group in shared["groups"] if f"finding:{c.findings['f_ratify']}" in _keys(group))
    assert _keys(ratify) >= {f"answer:{c.answers[k]}" for k in ("s1_amina", "s1_chandra", "s1_dipu", "s1_hasan")}
    assert (ratify["room_count"], ratify["rooms_answered"], ratify["raised_in"]) == (3, 3, "raised in 3 of 3 rooms")
    assert [room["name"] for room in ratify["rooms"]] == ["Room 1", "Room 2", "Room 3"]
    victims = next(group for group in shared["groups"] if f"answer:{c.answers['s1_esha']}" in _keys(group))
    assert _keys(victims) == {f"answer:{c.answers['s1_esha']}", f"answer:{c.answers['s1_gita']}"}
    assert victims["raised_in"] == "raised in 2 of 3 rooms"
    for group in shared["groups"]:
        for member in group["members"]:
            assert member["room_name"] in {"Room 1", "Room 2", "Room 3"}
            assert member["answer_ids"], member
    assert str(c.answers["s1_farid"]) not in response.text
    # Every answer with text and every confirmed finding is in exactly one group or in none,
    # and those in none are listed, room by room: nothing the rooms said drops out of the view.
    grouped = [key for group in shared["groups"] for key in _keys(group)]
    ungrouped = [member["key"] for member in shared["ungrouped"]]
    said = {f"answer:{c.answers[k]}" for k in c.answers if k.startswith("s1_") and k != "s1_farid"}
    said |= {f"finding:{finding['id']}" for column in shared["rooms"] for finding in column["findings"]}
    assert ungrouped, "the meeting's S1 has answers alike no other"
    assert len(grouped) + len(ungrouped) == len(set(grouped) | set(ungrouped))
    assert set(grouped) | set(ungrouped) == said
    rooms = [member["room_name"] for member in shared["ungrouped"]]
    assert rooms == sorted(rooms)
    assert all(member["text"] and member["answer_ids"] for member in shared["ungrouped"])
    assert _question(plenary, "R1.2")["ungrouped"] == []  # a scale question has no texts to group

    scale = _question(plenary, "R1.2")
    means = {column["room"]["name"]: column["distribution"]["mean"] for column in scale["rooms"]}
    assert means == {"Room 1": 1.667, "Room 2": 4.333, "Room 3": 3.0}
    assert [entry["count"] for entry in _column(scale, "Room 1")["distribution"]["scale"]] == [1, 2, 0, 0, 0]
    assert scale["overall"]["respondents"] == 8 and scale["overall"]["mean"] == 3.0
    assert scale["divergence"]["measure"] == "mean_range"
    assert scale["divergence"]["verdict"] == "rooms diverge"
    assert scale["divergence"]["furthest_apart"] == [str(c.rooms[1]), str(c.rooms[2])]
    assert abs(scale["divergence"]["spread"] - 2.667) < 0.001

    choice = _question(plenary, "R2.1")
    counts = {o["option_id"]: o["count"] for o in choice["overall"]["options"]}
    assert counts == {"financial": 4, "jit": 2, "digital": 2, "witness": 2}
    assert choice["overall"]["respondents"] == 8
    room_1_choices = {o["option_id"]: o["count"] for o in _column(choice, "Room 1")["distribution"]["options"]}
    assert room_1_choices == {"financial": 2, "jit": 2, "digital": 0, "witness": 0}
    assert choice["divergence"]["measure"] == "total_variation"
    assert choice["divergence"]["value"] == 1.0  # Room 1 and Room 3 chose nothing in common
    assert choice["divergence"]["furthest_apart"] == [str(c.rooms[1]), str(c.rooms[3])]
    assert choice["divergence"]["verdict"] == "rooms diverge"

    # The merged answer stands for its sources, also where a finding cited one of them.
    named = _question(plenary, "R1.1")
    merged = next(a for a in _column(named, "Room 1")["top_answers"] if a["id"] == str(c.answers["r11_merged"]))
    assert set(merged["source_ids"]) == {str(c.answers["r11_bashir"]), str(c.answers["r11_chandra"])}
    assert merged["author"] == "Mira Moderator"
    penalties = _column(named, "Room 1")["findings"][0]
    assert [source["id"] for source in penalties["sources"]] == [str(c.answers["r11_merged"])]

    anonymous = _question(plenary, "R3.1")
    routes = _column(anonymous, "Room 3")["findings"][0]
    assert routes["sources"][0]["id"] == str(c.answers["r31_zara"])
    assert routes["sources"][0]["author"] is None
    assert "Zara Zaman" not in response.text and "Silent Lynx" not in response.text
    assert str(c.people["zara"]) not in response.text
    # Staff see answers of a question shown after close even while it is still live.
    assert _column(_question(plenary, "R3.2"), "Room 3")["answers"] == 1
    assert "A draft only the moderators may read" not in response.text


def _keys(group: dict[str, Any]) -> set[str]:
    return {member["key"] for member in group["members"]}


async def test_who_may_read_the_plenary_and_what_they_see(consultation: Consultation) -> None:
    c = consultation
    assert (await c.moderator.get(c.url("/plenary"))).status_code == 200
    for phase in (Phase.DRAFT, Phase.LOBBY, Phase.PLENARY, Phase.BREAKOUTS):
        await c.advance_to(phase)
        for reader in (c.participant, c.observer):
            refused = await reader.get(c.url("/plenary"))
            assert refused.status_code == 403, (phase, refused.text)
            assert refused.json()["code"] == "plenary_not_open"
    assert (await c.stranger.get(c.url("/plenary"))).status_code == 404
    assert (await c.anonymous.get(c.url("/plenary"))).status_code == 401

    await c.advance_to(Phase.REPORT_BACK)
    for reader in (c.participant, c.observer):
        response = await reader.get(c.url("/plenary"))
        assert response.status_code == 200, response.text
        plenary = response.json()
        shared_top = _column(_question(plenary, "S1"), "Room 1")["top_answers"]
        assert [a["author"] for a in shared_top] == [None, None, None]  # anonymous to peers
        named_top = _column(_question(plenary, "R1.1"), "Room 1")["top_answers"]
        assert {a["author"] for a in named_top} == {"Amina Rahman", "Mira Moderator"}
        # Shown only after close: closing the rooms for the report-back closed it, so now it is.
        assert _column(_question(plenary, "R3.2"), "Room 3")["answers"] == 1
        for name in ("Dipu Das", "Bright Plover", "Zara Zaman", "Silent Lynx"):
            assert name not in response.text
    await c.advance_to(Phase.CLOSED)
    assert (await c.participant.get(c.url("/plenary"))).status_code == 200


async def test_the_organiser_walks_the_rooms_on_the_projector(consultation: Consultation) -> None:
    c = consultation
    moved = await c.organiser.put(c.url("/plenary/focus"), json={"room_id": str(c.rooms[2])})
    assert moved.status_code == 200, moved.text
    assert moved.json() == {"room_id": str(c.rooms[2]), "question_id": None, "version": 1, "page": 0}
    moved = await c.organiser.put(
        c.url("/plenary/focus"), json={"room_id": str(c.rooms[3]), "question_id": str(c.questions["S1"])}
    )
    assert moved.json()["version"] == 2

    events = [e for e in await meeting_events(c) if e.type == "plenary.changed"]
    assert [e.payload for e in events] == [
        {"room_id": str(c.rooms[2]), "question_id": None, "version": 1, "page": 0},
        {"room_id": str(c.rooms[3]), "question_id": str(c.questions["S1"]), "version": 2, "page": 0},
    ]
    assert all(e.staff_payload is None for e in events)
    focus = (await c.moderator.get(c.url("/plenary"))).json()["focus"]
    assert focus == {"room_id": str(c.rooms[3]), "question_id": str(c.questions["S1"]), "version": 2, "page": 0}

    foreign_room = "00000000-0000-4000-8000-000000000000"
    for body in ({"room_id": foreign_room}, {"question_id": foreign_room}, {"room_id": "not-a-uuid"}):
        refused = await c.organiser.put(c.url("/plenary/focus"), json=body)
        assert refused.status_code == 422, refused.text
    assert (await c.participant.put(c.url("/plenary/focus"), json={})).status_code == 403
    assert (await c.moderator.put(c.url("/plenary/focus"), json={})).status_code == 403
    assert (await c.stranger.put(c.url("/plenary/focus"), json={})).status_code == 404
    assert len([e for e in await meeting_events(c) if e.type == "plenary.changed"]) == 2


async def test_one_question_of_the_plenary(consultation: Consultation) -> None:
    c = consultation
    whole = _question((await c.organiser.get(c.url("/plenary"))).json(), "S1")

    response = await c.organiser.get(c.url("/plenary"), params={"question_id": str(c.questions["S1"])})

    assert response.status_code == 200, response.text
    (theme,) = response.json()["themes"]
    assert theme["theme"] == "Shared" and theme["findings"] == []
    assert theme["questions"] == [whole]
    unknown = await c.organiser.get(c.url("/plenary"), params={"question_id": str(c.rooms[1])})
    assert unknown.status_code == 422
    assert (
        await c.participant.get(c.url("/plenary"), params={"question_id": str(c.questions["S1"])})
    ).status_code == 403
