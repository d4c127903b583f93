"""The reference meeting's 45 invented people, made the same way on every run from a fixed seed.

The design gives the composition: 45 people, 15 female and 30 male (self-declared), from
ministries, police, prosecution, judiciary, civil society and international organisations; one
event moderator (the organiser), one policy lead (observer), six room moderators, 37 participants.
Names and organisations are invented; e-mail addresses use the reserved ``.example`` domain.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from app.vocabulary import Gender, OrganisationType, Role

DEMO_SEED = 45
ROOM_COUNT = 6
F, M = Gender.FEMALE, Gender.MALE
OT = OrganisationType

ORGANISATIONS: dict[OrganisationType, tuple[tuple[str, str], ...]] = {
    OT.MINISTRY: (
        ("Ministry of Home Affairs", "home.gov.example"),
        ("Ministry of Foreign Affairs", "mofa.gov.example"),
        ("Ministry of Labour and Overseas Employment", "labour.gov.example"),
        ("Ministry of Law and Justice", "law.gov.example"),
    ),
    OT.POLICE: (
        ("National Police, Anti-Smuggling and Trafficking Unit", "police.gov.example"),
        ("Border Guard Directorate", "border.gov.example"),
        ("Coast Guard", "coastguard.gov.example"),
        ("Criminal Investigation Department", "cid.police.example"),
    ),
    OT.PROSECUTION: (
        ("Office of the Attorney General", "ag.gov.example"),
        ("Public Prosecution Service", "prosecution.gov.example"),
        ("Special Prosecutor for Organised Crime", "spoc.gov.example"),
    ),
    OT.JUDICIARY: (
        ("High Court Division", "highcourt.example"),
        ("District and Sessions Court", "courts.example"),
        ("Judicial Training Institute", "judicial-training.example"),
    ),
    OT.CIVIL_SOCIETY: (
        ("Safe Migration Forum", "safemigration.example"),
        ("Coastal Legal Aid Trust", "coastal-legal-aid.example"),
        ("Migrant Workers' Rights Network", "mwrn.example"),
        ("Centre for Migration Research", "migration-research.example"),
    ),
    OT.INTERNATIONAL_ORGANISATION: (
        ("Regional Office on Migration and Justice", "romj.example"),
        ("Global Migration Partnership", "gmp.example"),
        ("International Centre for Border Cooperation", "icbc.example"),
    ),
}
ORGANISATION_TYPES = tuple(ORGANISATIONS)

SOUTH_ASIAN_FIRST = {
    F: ("Farhana", "Nusrat", "Tahmina", "Sabina", "Priya", "Anjali", "Shirin", "Rokeya", "Meera", "Nasreen",
        "Dilruba", "Sharmin", "Kavitha", "Sunita", "Ayesha", "Ishrat"),
    M: ("Rafiq", "Kamal", "Arif", "Tanvir", "Imran", "Sanjay", "Rahul", "Anwar", "Mahmud", "Shafiq", "Nazrul",
        "Habib", "Vikram", "Suresh", "Pradeep", "Jamal", "Faisal", "Mizanur", "Sohel", "Ranjit", "Asif", "Kiran",
        "Zahid", "Monir", "Dipak", "Saiful"),
}  # fmt: skip
SOUTH_ASIAN_LAST = {
    F: ("Akter", "Begum", "Khatun"),
    M: ("Uddin",),
    None: ("Rahman", "Hossain", "Ahmed", "Chowdhury", "Islam", "Khan", "Siddiqui", "Das", "Sarkar", "Roy",
           "Banerjee", "Sharma", "Perera", "Fernando", "Shrestha", "Karki", "Haque", "Talukder", "Bhuiyan",
           "Majumder", "Iyer", "Malik"),
}  # fmt: skip
INTERNATIONAL_FIRST = {
    F: ("Maria", "Elena", "Sarah", "Amina", "Claire", "Ingrid", "Lucia", "Hana"),
    M: ("David", "Thomas", "Marco", "Pierre", "Johan", "Carlos", "Kwame", "Hiroshi", "Andreas", "Mikhail"),
}
INTERNATIONAL_LAST = ("Rossi", "Dubois", "Jensen", "Okafor", "Tanaka", "Garcia", "Novak", "Andersson", "Meyer",
                      "Mensah", "Costa", "Lindqvist")  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoPerson:
    display_name: str
    email: str
    gender: Gender
    organisation: str
    organisation_type: OrganisationType
    role: Role
    # The room (0-5) a moderator steers or a participant is assigned to; None stays in plenary.
    room: int | None
    label: str = ""


# (role, gender, organisation type, label, moderated room) of everyone who is not a participant.
STAFF = (
    (Role.ORGANISER, F, OT.INTERNATIONAL_ORGANISATION, "event moderator", None),
    (Role.OBSERVER, M, OT.MINISTRY, "policy lead", None),
    (Role.MODERATOR, F, OT.CIVIL_SOCIETY, "room moderator", 0),
    (Role.MODERATOR, M, OT.PROSECUTION, "room moderator", 1),
    (Role.MODERATOR, M, OT.INTERNATIONAL_ORGANISATION, "room moderator", 2),
    (Role.MODERATOR, F, OT.JUDICIARY, "room moderator", 3),
    (Role.MODERATOR, M, OT.POLICE, "room moderator", 4),
    (Role.MODERATOR, M, OT.MINISTRY, "room moderator", 5),
)
# The rest of the 15 female and 30 male are participants.
PARTICIPANT_GENDERS = {F: 15 - 3, M: 30 - 5}


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z]+", "", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())


class _Namer:
    """Invented names, each first name and surname used once while the pools last."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _pick(self, pool: tuple[str, ...]) -> str:
        fresh = [name for name in pool if name not in self.used]
        choice = self.rng.choice(fresh or pool)
        self.used.add(choice)
        return choice

    def name(self, gender: Gender, international: bool) -> tuple[str, str]:
        while True:
            if international:
                first, last = self._pick(INTERNATIONAL_FIRST[gender]), self._pick(INTERNATIONAL_LAST)
            else:
                lasts = SOUTH_ASIAN_LAST[None] + SOUTH_ASIAN_LAST[gender]
                first, last = self._pick(SOUTH_ASIAN_FIRST[gender]), self._pick(lasts)
            if f"{first} {last}" not in self.used:
                self.used.add(f"{first} {last}")
                return first, last


def _person(
    namer: _Namer, role: Role, gender: Gender, kind: OrganisationType, label: str, room: int | None
) -> DemoPerson:
    # International organisations bring international names; civil society some of them.
    international = kind is OT.INTERNATIONAL_ORGANISATION or (kind is OT.CIVIL_SOCIETY and namer.rng.random() < 0.3)
    first, last = namer.name(gender, international)
    organisation, domain = namer.rng.choice(ORGANISATIONS[kind])
    email = f"{_ascii(first)}.{_ascii(last)}@{domain}"
    return DemoPerson(f"{first} {last}", email, gender, organisation, kind, role, room, label)


def assign_rooms(people: list[DemoPerson], room_count: int = ROOM_COUNT) -> list[DemoPerson]:
    """Place each participant, in list order, in the room with the fewest participants of their
    gender, then of their organisation type, then of their gender counting the moderator, then the
    smallest, then the first: each gender differs by at most one between rooms, and with the demo's
    people so do the organisation types. Deterministic: the same people give the same rooms.
    """
    counts = [Counter[object]() for _ in range(room_count)]
    with_moderators = [Counter[Gender]() for _ in range(room_count)]
    for person in people:
        if person.role is Role.MODERATOR and person.room is not None:
            with_moderators[person.room][person.gender] += 1
    assigned: list[DemoPerson] = []
    for person in people:
        if person.role is not Role.PARTICIPANT:
            assigned.append(person)
            continue
        room = min(
            range(room_count),
            key=lambda r: (
                counts[r][person.gender],
                counts[r][person.organisation_type],
                with_moderators[r][person.gender],
                counts[r]["everyone"],
                r,
            ),
        )
        counts[room].update([person.gender, person.organisation_type, "everyone"])
        with_moderators[room][person.gender] += 1
        assigned.append(replace(person, room=room))
    return assigned


def demo_people(seed: int = DEMO_SEED) -> list[DemoPerson]:
    """The 45 people in a fixed order: staff first, then participants grouped by gender."""
    namer = _Namer(random.Random(seed))
    people = [_person(namer, role, gender, kind, label, room) for role, gender, kind, label, room in STAFF]
    for gender, count in PARTICIPANT_GENDERS.items():
        for index in range(count):
            # Dealt round the organisation types, so that every type has women and men.
            kind = ORGANISATION_TYPES[index % len(ORGANISATION_TYPES)]
            people.append(_person(namer, Role.PARTICIPANT, gender, kind, "", None))
    return assign_rooms(people)
