"""The demo's invented people: the reference composition, the same on every run, evenly spread."""

from __future__ import annotations

from collections import Counter

from app.demo.people import ROOM_COUNT, demo_people
from app.vocabulary import Gender, OrganisationType, Role

SIX_TYPES = {
    OrganisationType.MINISTRY,
    OrganisationType.POLICE,
    OrganisationType.PROSECUTION,
    OrganisationType.JUDICIARY,
    OrganisationType.CIVIL_SOCIETY,
    OrganisationType.INTERNATIONAL_ORGANISATION,
}


def test_the_reference_composition() -> None:
    people = demo_people()

    assert len(people) == 45
    assert Counter(person.gender for person in people) == {Gender.FEMALE: 15, Gender.MALE: 30}
    assert Counter(person.role for person in people) == {
        Role.ORGANISER: 1,
        Role.OBSERVER: 1,
        Role.MODERATOR: 6,
        Role.PARTICIPANT: 37,
    }
    assert {person.organisation_type for person in people} == SIX_TYPES
    assert sorted(p.room for p in people if p.role is Role.MODERATOR) == list(range(ROOM_COUNT))
    assert len({person.display_name for person in people}) == 45
    assert len({person.email for person in people}) == 45
    assert all(person.email.endswith(".example") for person in people)


def test_the_same_people_on_every_run() -> None:
    assert demo_people() == demo_people()
    assert demo_people(seed=7) != demo_people()


def test_participants_are_spread_evenly() -> None:
    participants = [person for person in demo_people() if person.role is Role.PARTICIPANT]
    rooms = [[p for p in participants if p.room == room] for room in range(ROOM_COUNT)]

    assert all(person.room is not None for person in participants)
    for measure in (*Gender, *SIX_TYPES):
        counts = [sum(1 for p in room if measure in (p.gender, p.organisation_type)) for room in rooms]
        assert max(counts) - min(counts) <= 1, (measure, counts)
    assert max(map(len, rooms)) - min(map(len, rooms)) <= 1
