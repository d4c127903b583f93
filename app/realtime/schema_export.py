"""Exports the wire protocol as one JSON Schema document for the frontend's generated types.

``python -m app.realtime.schema_export PATH`` writes it; ``--check PATH`` fails when the file
differs from what the protocol module describes now (``make test`` runs the check).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from app.realtime.protocol import EVENT_DATA, PROTOCOL_VERSION, ClientFrame, ServerControlFrame


def _event_class_name(event_type: str) -> str:
    return "".join(part.capitalize() for part in event_type.replace("_", ".").split(".")) + "Event"


def _literal(value: str) -> Any:
    """``Literal[value]`` for a value known only at run time."""
    return Literal.__getitem__(value)


def event_frame_models() -> list[type[BaseModel]]:
    """One frame model per event type, its ``data`` typed by the protocol."""
    return [
        create_model(
            _event_class_name(event_type),
            type=(_literal(event_type), ...),
            stream=(str, ...),
            seq=(int, Field(ge=1)),
            at=(datetime, ...),
            data=(data_model, ...),
        )
        for event_type, data_model in sorted(EVENT_DATA.items())
    ]


def protocol_schema() -> dict[str, Any]:
    events = event_frame_models()
    server_event = {"oneOf": [{"$ref": f"#/$defs/{model.__name__}"} for model in events]}

    class Protocol(BaseModel):
        client_frame: ClientFrame
        server_control_frame: ServerControlFrame

    schema = Protocol.model_json_schema(ref_template="#/$defs/{model}")
    definitions: dict[str, Any] = schema.pop("$defs", {})
    for model in events:
        event_schema = model.model_json_schema(ref_template="#/$defs/{model}")
        definitions.update(event_schema.pop("$defs", {}))
        definitions[model.__name__] = event_schema
    definitions["ServerEventFrame"] = server_event
    definitions["ClientFrame"] = schema["properties"]["client_frame"]
    definitions["ServerControlFrame"] = schema["properties"]["server_control_frame"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "BreakoutsProtocol",
        "description": f"Breakouts wire protocol version {PROTOCOL_VERSION}",
        "protocolVersion": PROTOCOL_VERSION,
        "$defs": dict(sorted(definitions.items())),
    }


def render() -> str:
    return json.dumps(protocol_schema(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--check", action="store_true", help="fail if the file is not current")
    arguments = parser.parse_args(argv)
    current = render()
    if arguments.check:
        existing = arguments.path.read_text(encoding="utf-8") if arguments.path.exists() else ""
        if existing != current:
            print(f"{arguments.path} is out of date with app/realtime/protocol.py: run `make schema`", file=sys.stderr)
            return 1
        return 0
    arguments.path.parent.mkdir(parents=True, exist_ok=True)
    arguments.path.write_text(current, encoding="utf-8")
    print(f"wrote {arguments.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
