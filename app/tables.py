"""Imports every feature's models so that ``Base.metadata`` describes the whole schema
(for Alembic and for tests that build a database)."""

from app.answers import models as answers_models
from app.auth import models as auth_models
from app.database import Base
from app.facilitation import models as facilitation_models
from app.findings import models as findings_models
from app.hands import models as hands_models
from app.meetings import models as meetings_models
from app.participants import models as participants_models
from app.plenary import models as plenary_models
from app.questions import models as questions_models
from app.realtime import eventlog, receipts
from app.rooms import models as rooms_models

FEATURE_MODELS = (
    answers_models,
    auth_models,
    eventlog,
    facilitation_models,
    findings_models,
    hands_models,
    meetings_models,
    participants_models,
    plenary_models,
    questions_models,
    receipts,
    rooms_models,
)

metadata = Base.metadata
