from __future__ import annotations

from app.realtime.protocol import RaisedHandView

RaisedHandRead = RaisedHandView
