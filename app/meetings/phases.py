"""The meeting's phase machine: draft → lobby → plenary → breakouts → report_back → closed.

Rooms can be reopened for a second round (report_back → breakouts), and the organiser can go back
to the lobby while nobody has been let into the plenary yet. Nothing leaves ``closed``.
"""

from __future__ import annotations

from app.errors import Conflict
from app.vocabulary import Phase

ALLOWED_TRANSITIONS: dict[Phase, tuple[Phase, ...]] = {
    Phase.DRAFT: (Phase.LOBBY,),
    Phase.LOBBY: (Phase.PLENARY, Phase.DRAFT),
    Phase.PLENARY: (Phase.BREAKOUTS, Phase.REPORT_BACK, Phase.CLOSED),
    Phase.BREAKOUTS: (Phase.REPORT_BACK, Phase.PLENARY),
    Phase.REPORT_BACK: (Phase.PLENARY, Phase.BREAKOUTS, Phase.CLOSED),
    Phase.CLOSED: (),
}


def check_transition(current: Phase, target: Phase) -> None:
    allowed = ALLOWED_TRANSITIONS[current]
    if target not in allowed:
        names = ", ".join(phase.value for phase in allowed) or "none (the meeting is closed)"
        raise Conflict(
            f"cannot go from {current.value} to {target.value}; allowed from {current.value}: {names}",
            code="phase_not_allowed",
            details={
                "current": current.value,
                "requested": target.value,
                "allowed": [p.value for p in allowed],
            },
        )
