"""Reading a roster CSV: decoding, the header, and each row checked on its own.

Pure (no database): the import service passes in the meeting's room names and applies the rows.
Problems of the whole file (not UTF-8, no header, unknown columns, too many rows) raise
``InvalidInput``; problems of a row are collected with the row's line number so that every other
row can still be imported.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass

from app.errors import InvalidInput
from app.participants.schemas import ImportRowError
from app.vocabulary import EMAIL_PATTERN, Gender, OrganisationType, Role

# Above any consultation we know of (the reference meeting has 45); a bigger file is a mistake.
MAX_IMPORT_ROWS = 5_000
# 5,000 rows of the longest values the columns allow (about 800 bytes each).
MAX_IMPORT_BYTES = 4_000_000
REQUIRED_COLUMNS = ("name", "email", "organisation", "gender", "role", "room")
OPTIONAL_COLUMNS = ("organisation_type",)
GENDER_VALUES = {
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "another": Gender.ANOTHER,
    "undisclosed": Gender.UNDISCLOSED,
}
# Same limits as ParticipantCreate, so an imported row could have been typed in by hand.
NAME_MAX, EMAIL_MAX, ORGANISATION_MAX, ROOM_NAME_MAX = 120, 254, 200, 120
_EMAIL = re.compile(EMAIL_PATTERN)


@dataclass(frozen=True, slots=True)
class RosterRow:
    line: int
    display_name: str
    email: str | None
    organisation: str
    organisation_type: OrganisationType | None
    gender: Gender | None
    role: Role
    room_id: uuid.UUID | None
    import_key: str


@dataclass(frozen=True, slots=True)
class RosterFile:
    rows: list[RosterRow]
    errors: list[ImportRowError]
    # Without the optional column, an update leaves each person's organisation type as it was.
    has_organisation_type: bool


def import_key_for(display_name: str, organisation: str, email: str | None) -> str:
    """Who a row is: the address when there is one, else the name within the organisation."""
    if email:
        return f"email:{email.strip().lower()}"
    return f"name:{' '.join(display_name.split()).casefold()}|{' '.join(organisation.split()).casefold()}"


def decode_csv(data: bytes) -> str:
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InvalidInput(
            f"the file contains the NUL character (line {line}); it is not a CSV text file",
            code="nul_character",
            details={"line": line},
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInput(
            f"the file is not UTF-8 text (line {line}, byte 0x{data[error.start]:02X}); "
            "save it as 'CSV UTF-8' and import it again",
            code="not_utf8",
            details={"line": line},
        ) from None


def _header(row: list[str]) -> list[str]:
    columns = [name.strip().lower() for name in row]
    if len(columns) == 1 and ";" in columns[0]:
        raise InvalidInput("the header has one column: separate columns with commas, not semicolons", code="bad_header")
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    unknown = [name for name in columns if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if missing or unknown or repeated:
        problems = []
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown {', '.join(unknown)}")
        if repeated:
            problems.append(f"repeated {', '.join(repeated)}")
        raise InvalidInput(
            f"the header must name the columns {','.join(REQUIRED_COLUMNS)} "
            f"(and optionally {','.join(OPTIONAL_COLUMNS)}): {'; '.join(problems)}",
            code="bad_header",
            details={"missing": missing, "unknown": unknown, "repeated": repeated},
        )
    return columns


def _organisation_type(value: str) -> OrganisationType:
    normalised = re.sub(r"[\s-]+", "_", value.strip().lower()).replace("organization", "organisation")
    return OrganisationType(normalised)


class _RowReader:
    """Checks one row's cells, collecting every problem rather than stopping at the first."""

    def __init__(self, line: int, cells: dict[str, str], rooms: dict[str, uuid.UUID]) -> None:
        self.line = line
        self.cells = cells
        self.rooms = rooms
        self.errors: list[ImportRowError] = []

    def fail(self, column: str | None, reason: str) -> None:
        self.errors.append(ImportRowError(line=self.line, column=column, reason=reason))

    def text(self, column: str, limit: int) -> str:
        value = " ".join(self.cells.get(column, "").split())
        if len(value) > limit:
            self.fail(column, f"{column} is longer than {limit} characters")
        return value

    def row(self) -> RosterRow | None:
        name = self.text("name", NAME_MAX)
        if not name:
            self.fail("name", "name is missing")
        email = self.text("email", EMAIL_MAX) or None
        if email is not None and not _EMAIL.match(email):
            self.fail("email", f"email {email!r} is not a valid address")
        organisation = self.text("organisation", ORGANISATION_MAX)
        gender_text = self.cells["gender"].strip().lower()
        gender = GENDER_VALUES.get(gender_text) if gender_text else None
        if gender_text and gender is None:
            self.fail(
                "gender", f"gender {self.cells['gender'].strip()!r} is not female, male, another, undisclosed, F or M"
            )
        role_text = self.cells["role"].strip().lower() or Role.PARTICIPANT
        role = Role(role_text) if role_text in {known.value for known in Role} else None
        if role is None:
            self.fail(
                "role", f"role {self.cells['role'].strip()!r} is not organiser, moderator, participant or observer"
            )
        type_text = self.cells.get("organisation_type", "").strip()
        organisation_type = None
        if type_text:
            try:
                organisation_type = _organisation_type(type_text)
            except ValueError:
                known = ", ".join(kind.value for kind in OrganisationType)
                self.fail("organisation_type", f"organisation type {type_text!r} is not one of {known}")
        room_name = self.text("room", ROOM_NAME_MAX)
        room_id = self.rooms.get(room_name.casefold()) if room_name else None
        if room_name and room_id is None:
            self.fail("room", f"room {room_name!r} does not exist in this meeting")
        if self.errors or role is None:
            return None
        return RosterRow(
            line=self.line,
            display_name=name,
            email=email.lower() if email else None,
            organisation=organisation,
            organisation_type=organisation_type,
            gender=gender,
            role=role,
            room_id=room_id,
            import_key=import_key_for(name, organisation, email),
        )


def parse_roster_csv(text: str, rooms: dict[str, uuid.UUID]) -> RosterFile:
    """The valid rows and the row errors of a roster file. ``rooms`` maps casefolded room names to ids."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    rows: list[RosterRow] = []
    errors: list[ImportRowError] = []
    first_line_of: dict[str, int] = {}
    columns: list[str] | None = None
    data_rows = 0
    line = 1
    try:
        for cells in reader:
            row_line, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = _header(cells)
                continue
            data_rows += 1
            if data_rows > MAX_IMPORT_ROWS:
                raise InvalidInput(
                    f"the file has more than {MAX_IMPORT_ROWS:,} rows; split it into several files",
                    code="too_many_rows",
                )
            if len(cells) != len(columns):
                errors.append(
                    ImportRowError(
                        line=row_line, column=None, reason=f"expected {len(columns)} fields, found {len(cells)}"
                    )
                )
                continue
            check = _RowReader(row_line, dict(zip(columns, cells, strict=True)), rooms)
            row = check.row()
            if row is not None and row.import_key in first_line_of:
                same = "email" if row.email else "name and organisation"
                check.fail(None, f"duplicate of line {first_line_of[row.import_key]} (same {same})")
                row = None
            errors.extend(check.errors)
            if row is not None:
                first_line_of[row.import_key] = row.line
                rows.append(row)
    except csv.Error as error:
        raise InvalidInput(f"line {reader.line_num}: the file is not valid CSV ({error})", code="bad_csv") from None
    if columns is None:
        raise InvalidInput(f"the file is empty; it needs a header row: {','.join(REQUIRED_COLUMNS)}", code="bad_header")
    return RosterFile(rows=rows, errors=errors, has_organisation_type="organisation_type" in columns)
