"""The authorisation matrix: every endpoint of the API, what each role gets from it.

Read a row as: method, path (path parameters name the world's entities: room A, participant_a,
the proposed finding of room A … unless ``at`` says otherwise), a body valid for the roles that
are allowed, and one outcome per role. ``test_matrix`` fails when an endpoint of the OpenAPI
document has no row here, or a row names an endpoint that does not exist.

The rules, as the services state them: a stranger (no link to the meeting) gets 404 as for an id
that does not exist; no session gets 401; a member of the meeting lacking the role or the room
gets 403; only organisers prepare, drive, move people and export; a room's moderators steer it;
its participants answer, vote, endorse and call for help; observers read every room, never write.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from app.vocabulary import AssignmentMode, Phase
from tests.authorisation.cells import ROLES, Raw, Row, expect
from tests.authorisation.world import GROUP_1_THEME, World, WorldOptions

# fmt: off
#                          organiser  mod_a  mod_b  part_a  part_b  observer  stranger  anonymous
ORGANISER_ONLY  = expect(" ok         403    403    403     403     403       404       401")
EVERYONE_IN_IT  = expect(" ok         ok     ok     ok      ok      ok        404       401")
STAFF           = expect(" ok         ok     ok     403     403     403       404       401")
ROOM_A_STAFF    = expect(" ok         ok     403    403     403     403       404       401")
ROOM_B_STAFF    = expect(" ok         403    ok     403     403     403       404       401")
ROOM_A_READERS  = expect(" ok         ok     403    ok      403     ok        404       401")
ROOM_B_READERS  = expect(" ok         403    ok     403     ok      ok        404       401")
ROOM_A_MEMBERS  = expect(" 403        ok     403    ok      403     403       404       401")
ROOM_B_MEMBERS  = expect(" 403        403    ok     403     ok      403       404       401")
ACCOUNT_HOLDERS = expect(" ok         403    403    403     403     403       ok        401")
ANY_SESSION     = expect(" ok         ok     ok     ok      ok      ok        ok        401")
ANYONE          = expect(" ok         ok     ok     ok      ok      ok        ok        ok ")
ONLY_PART_A     = expect(" 403        403    403    ok      403     403       404       401")
ONLY_PART_B     = expect(" 403        403    403    403     ok      403       404       401")
# Room A's staff see every hand up in it; its participant sees their own.
ROOM_A_HANDS    = expect(" ok         ok     403    ok      403     403       404       401")
# A draft is the room staff's: a reader of the room gets 404 as if it did not exist.
DRAFT_IN_A      = expect(" ok         ok     403    404     403     404       404       401")
OWN_ENTRY_A     = expect(" ok         403    403    ok      403     403       404       401")
OWN_ENTRY_B     = expect(" ok         403    403    403     ok      403       404       401")
# The organiser's account has no roster entry of its own.
MY_ENTRY        = expect(" 404        ok     ok     ok      ok      ok        404       401")
ROOM_B_ONLY_Q   = expect(" ok         ok     ok     403     ok      ok        404       401")
SELF_SELECTORS  = expect(" 403        403    403    ok      ok      403       404       401")
# fmt: on

REPORT_BACK = WorldOptions(phase=Phase.REPORT_BACK)
SELF_SELECT = WorldOptions(phase=Phase.PLENARY, assignment_mode=AssignmentMode.SELF_SELECT)
NO_OPEN_HELP = WorldOptions(help_open_in_a=False)
NO_HAND_UP = WorldOptions(hand_open_in_a=False)
NOTHING_LIVE_IN_A = WorldOptions(live_in_a=False)
CLOSING = WorldOptions(closing=True)
IN_PLENARY = WorldOptions(phase=Phase.PLENARY)

CSV = "name,email,organisation,gender,role,room\nNew Person,new.person@authz.example,Ministry,F,participant,Room A\n"
TEMPLATE = {"format": "breakouts-meeting-template", "version": 1, "meeting": {"title": "Imported"}}


def snapshot_of(stream: str) -> Callable[[World], dict[str, str]]:
    """The query of ``GET /api/live/snapshot`` for the world's stream named by ``stream``."""

    def query(w: World) -> dict[str, str]:
        kind, _, entity = stream.partition(":")
        return {"meeting_id": str(w.meeting_id), "stream": f"{kind}:{getattr(w, entity)}"}

    return query


# fmt: off
ROWS = [
    # --- auth and invites ---------------------------------------------------------------------
    Row("POST", "/api/auth/logout", ANYONE, no_op_for=("anonymous",)),
    Row("GET", "/api/auth/me", ANY_SESSION),
    Row("POST", "/api/meetings/{meeting_id}/invites", ORGANISER_ONLY,
        body=lambda w: {"role": "participant", "room_id": str(w.room_a)}),
    Row("GET", "/api/meetings/{meeting_id}/invites", ORGANISER_ONLY),
    Row("POST", "/api/meetings/{meeting_id}/invites/roster", ORGANISER_ONLY, body=lambda w: {"roles": ["participant"]}),
    Row("GET", "/api/meetings/{meeting_id}/invites/roster", ORGANISER_ONLY),
    Row("GET", "/api/meetings/{meeting_id}/invites/roster.csv", ORGANISER_ONLY),
    Row("POST", "/api/meetings/{meeting_id}/invites/{invite_id}/revoke", ORGANISER_ONLY),
    # --- meetings and agenda ------------------------------------------------------------------
    Row("POST", "/api/meetings", ACCOUNT_HOLDERS, body=lambda w: {"title": "Another session"}),
    Row("GET", "/api/meetings", ACCOUNT_HOLDERS),
    Row("GET", "/api/meetings/{meeting_id}", EVERYONE_IN_IT),
    Row("PATCH", "/api/meetings/{meeting_id}", ORGANISER_ONLY, body=lambda w: {"title": "Renamed"}),
    Row("POST", "/api/meetings/{meeting_id}/phase", ORGANISER_ONLY, body=lambda w: {"phase": "report_back"}),
    Row("PUT", "/api/meetings/{meeting_id}/current-item", ORGANISER_ONLY,
        body=lambda w: {"item_id": str(w.agenda_item)}),
    Row("POST", "/api/meetings/{meeting_id}/countdown/cancel", ORGANISER_ONLY, world=CLOSING),
    Row("POST", "/api/meetings/{meeting_id}/countdown/extend", ORGANISER_ONLY, world=CLOSING,
        body=lambda w: {"seconds": 60}),
    Row("POST", "/api/meetings/{meeting_id}/agenda", ORGANISER_ONLY, body=lambda w: {"title": "Coffee"}),
    Row("PATCH", "/api/meetings/{meeting_id}/agenda/{item_id}", ORGANISER_ONLY, body=lambda w: {"planned_minutes": 9}),
    Row("DELETE", "/api/meetings/{meeting_id}/agenda/{item_id}", ORGANISER_ONLY),
    # --- templates ----------------------------------------------------------------------------
    Row("POST", "/api/meetings/import", ACCOUNT_HOLDERS, body=Raw("application/json", lambda w: json.dumps(TEMPLATE))),
    Row("GET", "/api/meetings/{meeting_id}/template", ORGANISER_ONLY),
    # --- rooms (names and themes are not personal: everyone in the meeting reads every room) ---
    Row("POST", "/api/meetings/{meeting_id}/rooms", ORGANISER_ONLY, body=lambda w: {"name": "Room D"}),
    Row("GET", "/api/meetings/{meeting_id}/rooms", EVERYONE_IN_IT),
    Row("GET", "/api/rooms/{room_id}", EVERYONE_IN_IT),
    Row("GET", "/api/rooms/{room_id}", EVERYONE_IN_IT, at={"room_id": "room_b"}, variant="room B"),
    Row("PATCH", "/api/rooms/{room_id}", ORGANISER_ONLY, body=lambda w: {"theme": "Borders"}),
    Row("PATCH", "/api/rooms/{room_id}", ORGANISER_ONLY, body=lambda w: {"call_url": "https://meet.example.org/a"},
        variant="call link"),
    Row("GET", "/api/rooms/{room_id}/call", ROOM_A_READERS),
    Row("GET", "/api/rooms/{room_id}/call", ROOM_B_READERS, at={"room_id": "room_b"}, variant="room B"),
    Row("PUT", "/api/rooms/{room_id}/finished", ROOM_A_STAFF, body=lambda w: {"finished": True}),
    Row("PUT", "/api/rooms/{room_id}/finished", ROOM_B_STAFF, at={"room_id": "room_b"}, variant="room B",
        body=lambda w: {"finished": True}),
    Row("DELETE", "/api/rooms/{room_id}", ORGANISER_ONLY, at={"room_id": "room_c"}, variant="empty room C"),
    Row("PUT", "/api/rooms/{room_id}/moderators", ORGANISER_ONLY,
        body=lambda w: {"participant_ids": [str(w.moderator_a)]}),
    # --- participants -------------------------------------------------------------------------
    Row("POST", "/api/meetings/{meeting_id}/participants", ORGANISER_ONLY,
        body=lambda w: {"display_name": "Someone New", "email": "someone.new@authz.example"}),
    Row("GET", "/api/meetings/{meeting_id}/participants", STAFF),
    Row("GET", "/api/meetings/{meeting_id}/participants/me", MY_ENTRY),
    Row("POST", "/api/meetings/{meeting_id}/participants/import", ORGANISER_ONLY, body=Raw("text/csv", lambda w: CSV)),
    Row("GET", "/api/participants/{participant_id}", OWN_ENTRY_A),
    Row("GET", "/api/participants/{participant_id}", OWN_ENTRY_B, at={"participant_id": "participant_b"},
        variant="participant B"),
    Row("PATCH", "/api/participants/{participant_id}", ORGANISER_ONLY, body=lambda w: {"organisation": "Police"}),
    Row("POST", "/api/participants/{participant_id}/move", ORGANISER_ONLY, body=lambda w: {"room_id": str(w.room_b)}),
    Row("POST", "/api/participants/{participant_id}/erase", ORGANISER_ONLY, body=lambda w: {"reason": "asked"}),
    Row("POST", "/api/participants/{participant_id}/match", ORGANISER_ONLY,
        body=lambda w: {"roster_entry_id": str(w.peer_a)}),
    Row("POST", "/api/meetings/{meeting_id}/assignment", ORGANISER_ONLY, body=lambda w: {"mode": "self_select"}),
    Row("POST", "/api/meetings/{meeting_id}/assignment/preview", ORGANISER_ONLY, world=IN_PLENARY,
        body=lambda w: {"seed": 7}, no_op_for=("organiser",)),  # a preview writes nothing
    Row("POST", "/api/rooms/{room_id}/select", SELF_SELECTORS, at={"room_id": "room_b"}, world=SELF_SELECT,
        variant="room B, self-selection open", no_op_for=("participant_b",)),  # already seated there
    # --- findings -----------------------------------------------------------------------------
    Row("POST", "/api/rooms/{room_id}/findings", ROOM_A_STAFF,
        body=lambda w: {"text": "Train together", "question_id": str(w.q_live), "answer_ids": [str(w.answer_a)]}),
    Row("POST", "/api/rooms/{room_id}/findings", ROOM_B_STAFF, at={"room_id": "room_b"}, variant="room B",
        body=lambda w: {"text": "Protect victims", "question_id": str(w.q_live), "answer_ids": [str(w.answer_b)]}),
    Row("GET", "/api/rooms/{room_id}/findings", ROOM_A_READERS),
    Row("GET", "/api/rooms/{room_id}/findings", ROOM_B_READERS, at={"room_id": "room_b"}, variant="room B"),
    Row("GET", "/api/findings/{finding_id}", ROOM_A_READERS),
    Row("GET", "/api/findings/{finding_id}", ROOM_B_READERS, at={"finding_id": "finding_proposed_b"}, variant="room B"),
    Row("GET", "/api/findings/{finding_id}", DRAFT_IN_A, at={"finding_id": "finding_draft_a"}, variant="draft"),
    Row("PATCH", "/api/findings/{finding_id}", ROOM_A_STAFF, body=lambda w: {"text": "Joint training works best"}),
    Row("DELETE", "/api/findings/{finding_id}", ROOM_A_STAFF),
    Row("POST", "/api/findings/{finding_id}/propose", ROOM_A_STAFF, at={"finding_id": "finding_draft_a"}),
    Row("POST", "/api/findings/{finding_id}/endorse", ONLY_PART_A),
    Row("POST", "/api/findings/{finding_id}/confirm", ROOM_A_STAFF),
    # --- facilitation -------------------------------------------------------------------------
    Row("POST", "/api/meetings/{meeting_id}/timers", ROOM_A_STAFF, variant="room A",
        body=lambda w: {"room_id": str(w.room_a), "seconds": 300}),
    Row("POST", "/api/meetings/{meeting_id}/timers", ROOM_B_STAFF, variant="room B",
        body=lambda w: {"room_id": str(w.room_b), "seconds": 300}),
    Row("POST", "/api/meetings/{meeting_id}/timers", ORGANISER_ONLY, variant="meeting-wide",
        body=lambda w: {"seconds": 300}),
    Row("GET", "/api/meetings/{meeting_id}/timers", EVERYONE_IN_IT),
    Row("POST", "/api/timers/{timer_id}/extend", ROOM_A_STAFF, body=lambda w: {"seconds": 60}),
    Row("POST", "/api/timers/{timer_id}/extend", ORGANISER_ONLY, at={"timer_id": "timer_meeting"},
        variant="meeting-wide", body=lambda w: {"seconds": 60}),
    Row("POST", "/api/timers/{timer_id}/stop", ROOM_A_STAFF),
    Row("POST", "/api/timers/{timer_id}/stop", ORGANISER_ONLY, at={"timer_id": "timer_meeting"},
        variant="meeting-wide"),
    Row("POST", "/api/meetings/{meeting_id}/broadcasts", ORGANISER_ONLY, body=lambda w: {"message": "Five minutes"}),
    Row("GET", "/api/meetings/{meeting_id}/broadcasts", EVERYONE_IN_IT),
    Row("POST", "/api/rooms/{room_id}/help", ROOM_A_MEMBERS, world=NO_OPEN_HELP, body=lambda w: {"message": "Help"}),
    Row("POST", "/api/rooms/{room_id}/help", ROOM_B_MEMBERS, at={"room_id": "room_b"}, variant="room B",
        body=lambda w: {"message": "Help"}),
    Row("POST", "/api/help/{help_id}/resolve", ORGANISER_ONLY),
    Row("GET", "/api/meetings/{meeting_id}/help", STAFF),
    Row("GET", "/api/meetings/{meeting_id}/seats", EVERYONE_IN_IT),
    Row("POST", "/api/rooms/{room_id}/hands", ONLY_PART_A, world=NO_HAND_UP),
    Row("POST", "/api/rooms/{room_id}/hands", ONLY_PART_B, at={"room_id": "room_b"}, variant="room B"),
    Row("GET", "/api/rooms/{room_id}/hands", ROOM_A_HANDS),
    Row("POST", "/api/hands/{hand_id}/lower", ONLY_PART_A),
    Row("POST", "/api/hands/{hand_id}/acknowledge", ROOM_A_STAFF),
    Row("POST", "/api/hands/{hand_id}/answer", ROOM_A_STAFF),
    # --- questions ----------------------------------------------------------------------------
    Row("POST", "/api/meetings/{meeting_id}/questions", ORGANISER_ONLY,
        body=lambda w: {"text": "What else?", "kind": "open"}),
    Row("GET", "/api/meetings/{meeting_id}/questions", EVERYONE_IN_IT),
    Row("GET", "/api/questions/{question_id}", EVERYONE_IN_IT),
    Row("GET", "/api/questions/{question_id}", ROOM_B_ONLY_Q, at={"question_id": "q_b"}, variant="room B only"),
    Row("PATCH", "/api/questions/{question_id}", ORGANISER_ONLY, body=lambda w: {"text": "What should change first?"}),
    Row("DELETE", "/api/questions/{question_id}", ORGANISER_ONLY, at={"question_id": "q_pending"}),
    Row("PUT", "/api/questions/{question_id}/allocations", ORGANISER_ONLY, at={"question_id": "q_pending"},
        body=lambda w: {"room_ids": [str(w.room_a), str(w.room_b), str(w.room_c)]}),
    Row("GET", "/api/rooms/{room_id}/questions", ROOM_A_READERS),
    Row("GET", "/api/rooms/{room_id}/questions", ROOM_B_READERS, at={"room_id": "room_b"}, variant="room B"),
    Row("PUT", "/api/rooms/{room_id}/questions/order", ROOM_A_STAFF,
        body=lambda w: {"question_ids": [str(w.q_pending), str(w.q_live)]}),
    Row("POST", "/api/rooms/{room_id}/questions/{question_id}/push", ROOM_A_STAFF, at={"question_id": "q_pending"},
        world=NOTHING_LIVE_IN_A),
    Row("POST", "/api/rooms/{room_id}/questions/{question_id}/close", ROOM_A_STAFF),
    Row("POST", "/api/rooms/{room_id}/questions/{question_id}/close", ROOM_B_STAFF, at={"room_id": "room_b"},
        variant="room B"),
    Row("PUT", "/api/rooms/{room_id}/questions/{question_id}/grouping", ROOM_A_STAFF, body=lambda w: {"grouped": True}),
    Row("PUT", "/api/rooms/{room_id}/questions/{question_id}/grouping", ROOM_B_STAFF, at={"room_id": "room_b"},
        variant="room B", body=lambda w: {"grouped": True}),
    # --- answers ------------------------------------------------------------------------------
    Row("POST", "/api/rooms/{room_id}/questions/{question_id}/answers", ROOM_A_MEMBERS,
        body=lambda w: {"client_id": "matrix-answer", "text": "Fund the courts"}),
    Row("POST", "/api/rooms/{room_id}/questions/{question_id}/answers", ROOM_B_MEMBERS, at={"room_id": "room_b"},
        variant="room B", body=lambda w: {"client_id": "matrix-answer", "text": "Fund the courts"}),
    Row("PATCH", "/api/answers/{answer_id}", ONLY_PART_A, body=lambda w: {"text": "Train them together, often"}),
    Row("GET", "/api/rooms/{room_id}/answers", ROOM_A_READERS),
    Row("GET", "/api/rooms/{room_id}/answers", ROOM_B_READERS, at={"room_id": "room_b"}, variant="room B"),
    Row("POST", "/api/answers/{answer_id}/moderation", ROOM_A_STAFF, body=lambda w: {"hidden": True}),
    Row("POST", "/api/answers/{answer_id}/moderation", ROOM_B_STAFF, at={"answer_id": "answer_b"}, variant="room B",
        body=lambda w: {"pinned": True}),
    Row("POST", "/api/rooms/{room_id}/answers/merge", ROOM_A_STAFF,
        body=lambda w: {"answer_ids": [str(w.answer_a), str(w.answer_a2)]}),
    # peer_a's answer: nobody votes on their own.
    Row("POST", "/api/answers/{answer_id}/vote", ROOM_A_MEMBERS, at={"answer_id": "answer_a2"},
        body=lambda w: {"upvote": True}),
    # --- live ---------------------------------------------------------------------------------
    # A socket ticket is signed, not stored (docs/security.md): issuing one writes nothing.
    Row("POST", "/api/realtime/tickets", EVERYONE_IN_IT, body=lambda w: {"meeting_id": str(w.meeting_id)},
        no_op_for=tuple(role for role in ROLES if role not in ("stranger", "anonymous"))),
    Row("GET", "/api/live/snapshot", EVERYONE_IN_IT, query=snapshot_of("meeting:meeting_id"), variant="meeting"),
    Row("GET", "/api/live/snapshot", ROOM_A_READERS, query=snapshot_of("room:room_a"), variant="room A"),
    Row("GET", "/api/live/snapshot", ROOM_B_READERS, query=snapshot_of("room:room_b"), variant="room B"),
    Row("GET", "/api/live/snapshot", STAFF, query=snapshot_of("staff:meeting_id"), variant="staff"),
    # --- plenary ------------------------------------------------------------------------------
    Row("GET", "/api/meetings/{meeting_id}/plenary", STAFF, variant="breakouts", all_rooms_by_design=True),
    Row("GET", "/api/meetings/{meeting_id}/plenary", EVERYONE_IN_IT, variant="report-back", world=REPORT_BACK,
        all_rooms_by_design=True),
    Row("PUT", "/api/meetings/{meeting_id}/plenary/focus", ORGANISER_ONLY,
        body=lambda w: {"room_id": str(w.room_a), "question_id": str(w.q_live)}),
    Row("POST", "/api/meetings/{meeting_id}/plenary/groups", ORGANISER_ONLY,
        body=lambda w: {"question_id": str(w.q_live), "keys": [f"answer:{w.answer_b}"]}),
    Row("PATCH", "/api/meetings/{meeting_id}/plenary/groups/{group_id}", ORGANISER_ONLY,
        body=lambda w: {"label": "Train together", "pinned": True}),
    Row("DELETE", "/api/meetings/{meeting_id}/plenary/groups/{group_id}", ORGANISER_ONLY),
    Row("POST", "/api/meetings/{meeting_id}/plenary/themes/rename", ORGANISER_ONLY,
        body=lambda w: {"question_id": str(w.q_live), "theme_id": f"named:{GROUP_1_THEME.casefold()}", "label": "Joint work"}),
    Row("POST", "/api/meetings/{meeting_id}/plenary/groups/{group_id}/split", ORGANISER_ONLY,
        body=lambda w: {"keys": [f"answer:{w.answer_a2}"]}),
    Row("POST", "/api/meetings/{meeting_id}/plenary/groups/{group_id}/merge", ORGANISER_ONLY,
        body=lambda w: {"group_id": str(w.group_2)}),
    # --- reports ------------------------------------------------------------------------------
    Row("GET", "/api/meetings/{meeting_id}/report", ORGANISER_ONLY),
    Row("GET", "/api/meetings/{meeting_id}/report.md", ORGANISER_ONLY),
    Row("GET", "/api/meetings/{meeting_id}/report.docx", ORGANISER_ONLY),
    Row("GET", "/api/meetings/{meeting_id}/report.pdf", ORGANISER_ONLY),
    Row("GET", "/api/meetings/{meeting_id}/answers.csv", ORGANISER_ONLY),
    Row("GET", "/api/meetings/{meeting_id}/answers.json", ORGANISER_ONLY),
    # The world shares its report already: asking again returns the same link.
    Row("POST", "/api/meetings/{meeting_id}/report-link", ORGANISER_ONLY, no_op_for=("organiser",)),
    Row("GET", "/api/meetings/{meeting_id}/report-link", ORGANISER_ONLY),
    Row("DELETE", "/api/meetings/{meeting_id}/report-link", ORGANISER_ONLY),
    # --- projector ----------------------------------------------------------------------------
    # The world has a projector link already: asking again returns the same link.
    Row("POST", "/api/meetings/{meeting_id}/projector-link", ORGANISER_ONLY, no_op_for=("organiser",)),
    Row("GET", "/api/meetings/{meeting_id}/projector-link", ORGANISER_ONLY),
    Row("DELETE", "/api/meetings/{meeting_id}/projector-link", ORGANISER_ONLY),
]
# fmt: on

# Reached without a session on purpose; ``test_public_endpoints`` covers them.
PUBLIC = {
    ("GET", "/healthz"): "liveness probe for operators",
    ("GET", "/readyz"): "readiness probe for operators",
    ("POST", "/api/auth/login"): "how an organiser gets a session",
    ("POST", "/api/join"): "joining with the meeting's short code",
    ("GET", "/api/invites/{token}"): "the invite link is the credential (what it grants, read before opening)",
    ("POST", "/api/invites/{token}/open"): "the invite link is the credential",
    ("GET", "/api/reports/{token}"): "the shared report link is the credential",
    ("GET", "/api/reports/{token}/report.md"): "the shared report link is the credential",
    ("GET", "/api/reports/{token}/report.docx"): "the shared report link is the credential",
    ("GET", "/api/reports/{token}/report.pdf"): "the shared report link is the credential",
    ("GET", "/api/reports/{token}/answers.csv"): "the shared report link is the credential",
    ("GET", "/api/projector/{token}"): "the projector link is the credential",
    ("GET", "/api/projector/{token}/snapshot"): "the projector link is the credential",
    ("POST", "/api/projector/{token}/tickets"): "the projector link is the credential",
    ("GET", "/api/projector/{token}/questions"): "the projector link is the credential",
    ("GET", "/api/projector/{token}/plenary"): "the projector link is the credential",
}
