"""The ``breakouts`` command line: serve, migrate, create accounts, stage the demo, move meetings
and rosters in and out. Each command builds what it needs from the settings and disposes of it."""

from __future__ import annotations

import asyncio
import getpass
import logging
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from app.auth.access import Actor
from app.database import Database, create_database
from app.migrations_path import upgrade
from app.realtime.bus import InProcessBus
from app.realtime.limits import MESSAGE_MAX_BYTES
from app.realtime.outbox import unit_of_work
from app.settings import Settings

if TYPE_CHECKING:
    from app.demo.service import DemoLinks

console = Console(soft_wrap=True)
cli = typer.Typer(help="Breakouts: facilitated online consultations.", no_args_is_help=True)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
user_cli = typer.Typer(help="Organiser accounts.", no_args_is_help=True)
meeting_cli = typer.Typer(help="Meeting templates.", no_args_is_help=True)
participants_cli = typer.Typer(help="Participant rosters.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(user_cli, name="user")
cli.add_typer(meeting_cli, name="meeting")
cli.add_typer(participants_cli, name="participants")

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as error:
        console.print(f"[red]Settings refused:[/red] {error}")
        raise typer.Exit(2) from error


def _with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        database = create_database(settings.database_url)
        try:
            return await work(database)
        finally:
            await database.dispose()

    return asyncio.run(run())


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    settings = _settings()
    console.print(f"Migrating {settings.database_url.split('@')[-1]} to {revision} …")
    upgrade(settings.database_url, revision)
    console.print("[green]Database is current.[/green]")


@user_cli.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Sign-in email")],
    name: Annotated[str, typer.Option(help="Display name")] = "Organiser",
    password: Annotated[str | None, typer.Option(help="Asked for when not given")] = None,
) -> None:
    """Create an organiser account."""
    from app.auth.service import create_account
    from app.errors import DomainError

    secret = password or getpass.getpass("Password (10 characters or more): ")
    if len(secret) < 10:
        console.print("[red]The password needs 10 characters or more.[/red]")
        raise typer.Exit(2)

    async def work(database: Database) -> None:
        async with database.write_sessions() as session:
            await create_account(session, email, name, secret)
            await session.commit()

    try:
        _with_database(_settings(), work)
    except DomainError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from error
    console.print(f"[green]Account {email} created.[/green]")


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes (more than one needs PostgreSQL and Redis)")
    ] = 1,
    log_level: str = "info",
) -> None:
    """Serve the API, the socket and the browser app."""
    import uvicorn

    from app.realtime.ws_protocol import PROTOCOL_CLASS

    settings = _settings()
    if workers > 1 and not settings.redis_url:
        console.print(
            "[red]Refusing --workers > 1 without BREAKOUTS_REDIS_URL:[/red] each process delivers only the "
            "events of commands it handled itself, so clients on one process would miss what was done on "
            "another. Set BREAKOUTS_REDIS_URL to let processes wake each other, or run one worker."
        )
        raise typer.Exit(2)
    if settings.is_sqlite and workers > 1:
        console.print(
            "[red]Refusing --workers > 1 on SQLite:[/red] each process would keep its own view of the "
            "meetings it writes and queue on one file lock. Point BREAKOUTS_DATABASE_URL at PostgreSQL "
            "to run several processes, or run one worker."
        )
        raise typer.Exit(2)
    if workers > 1:
        console.print(f"Serving with {workers} processes on PostgreSQL, sharing events through Redis.")
    uvicorn.run(
        "app.asgi:create_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        ws=PROTOCOL_CLASS,  # uvicorn's sans-I/O protocol, writing a socket's frames of one tick together
        # No keepalive pings of uvicorn's: the protocol's own heartbeat (a client pings every
        # 15 s, a socket silent for 45 s is closed) finds dead peers, without a timer per socket.
        ws_ping_interval=None,
        ws_per_message_deflate=False,
        # Frames over the protocol's cap are refused by the server before they are buffered.
        ws_max_size=MESSAGE_MAX_BYTES,
        proxy_headers=True,
        server_header=False,
    )


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<34}"), BarColumn(), MofNCompleteColumn(), console=console, transient=False
    )


@cli.command()
def demo(
    organiser_email: str = "demo@breakouts.local",
    simulate: Annotated[bool, typer.Option(help="Simulated participants answer the live questions")] = False,
    pace_s: Annotated[float, typer.Option(help="Seconds between a simulated person's answers")] = 5.0,
    url: Annotated[str, typer.Option(help="Server to simulate against (with --simulate)")] = "",
) -> None:
    """Stage the reference meeting (once) and print a link for each role."""
    from app.demo.service import another_organiser_link, stage_reference_meeting

    settings = _settings()
    with _progress() as progress:
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=total)
            progress.update(tasks[step], completed=done, total=total)

        async def work(database: Database) -> DemoLinks:
            bus = InProcessBus()
            return await stage_reference_meeting(
                database, bus, settings, organiser_email=organiser_email, progress=report
            )

        links = _with_database(settings, work)
    print_links(links)
    if simulate:
        from app.client.simulate import run_simulation

        async def simulation_link(database: Database) -> str:
            return await another_organiser_link(database, InProcessBus(), settings, links)

        # The printed sign-in link opens once: the simulation signs in with a link of its own.
        simulated = links.model_copy(update={"organiser_link": _with_database(settings, simulation_link)})
        asyncio.run(run_simulation(simulated, base_url=url or settings.public_base_url, pace_s=pace_s, console=console))


async def _meeting_owner(database: Database, meeting_id: uuid.UUID) -> Actor:
    """The command line acts as the meeting's owner (whoever runs it can read the database)."""
    from app.meetings.models import Meeting

    async with database.reading() as session:
        meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        console.print(f"[red]No meeting {meeting_id}.[/red]")
        raise typer.Exit(1)
    return Actor(account_id=meeting.owner_id)


@meeting_cli.command("export")
def meeting_export(
    meeting_id: uuid.UUID,
    out: Annotated[Path | None, typer.Option(help="File to write (default: a slug of the title)")] = None,
    json_format: Annotated[bool, typer.Option("--json", help="JSON instead of YAML")] = False,
) -> None:
    """Export a meeting's agenda, rooms, themes and questions as a template file."""
    from app.templates.document import TemplateFormat, render_template, template_filename
    from app.templates.service import export_template

    target = TemplateFormat.JSON if json_format else TemplateFormat.YAML

    async def work(database: Database) -> tuple[str, str]:
        actor = await _meeting_owner(database, meeting_id)
        async with database.reading() as session:
            template = await export_template(session, actor, meeting_id)
        return render_template(template, target), template_filename(template.meeting.title, target)

    text, filename = _with_database(_settings(), work)
    path = out or Path(filename)
    path.write_text(text, encoding="utf-8")
    console.print(f"[green]Wrote {path}[/green]")


@meeting_cli.command("import")
def meeting_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    owner_email: Annotated[str, typer.Option(help="The organiser account that will own the meeting")],
) -> None:
    """Create a new meeting (in draft) from a template file (YAML or JSON)."""
    from app.auth.repository import account_by_email
    from app.errors import DomainError
    from app.templates.document import TemplateFormat
    from app.templates.service import import_template_file

    source = TemplateFormat.JSON if file.suffix.lower() == ".json" else TemplateFormat.YAML
    settings = _settings()

    async def work(database: Database) -> object:
        async with database.reading() as session:
            account = await account_by_email(session, owner_email)
        if account is None:
            console.print(f"[red]No account {owner_email}; create it with `breakouts user create`.[/red]")
            raise typer.Exit(1)
        async with unit_of_work(database.write_sessions, InProcessBus()) as uow:
            return await import_template_file(uow, Actor(account_id=account.id), file.read_bytes(), source)

    try:
        meeting = _with_database(settings, work)
    except DomainError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from error
    console.print(f"[green]Imported meeting {getattr(meeting, 'id', '')}[/green]")


@participants_cli.command("import")
def participants_import(
    meeting_id: uuid.UUID,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Import a roster CSV (name,email,organisation,gender,role,room); re-importing a fixed file
    updates rows instead of duplicating them."""
    from app.errors import DomainError
    from app.participants.service import import_participants_csv

    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        console.print("[red]The file is not UTF-8 text.[/red]")
        raise typer.Exit(1) from error

    async def work(database: Database) -> object:
        actor = await _meeting_owner(database, meeting_id)
        async with unit_of_work(database.write_sessions, InProcessBus()) as uow:
            return await import_participants_csv(uow, actor, meeting_id, text)

    try:
        report = _with_database(_settings(), work)
    except DomainError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from error
    from app.participants.schemas import ImportReport

    assert isinstance(report, ImportReport)
    console.print(
        f"imported {report.imported}, updated {report.updated}, unchanged {report.unchanged}, "
        f"rejected {report.rejected}"
    )
    for row in report.errors:
        console.print(f"  line {row.line}: {row.reason}")
    if report.rejected:
        raise typer.Exit(1)


def print_links(links: DemoLinks) -> None:
    console.rule(f"[bold]{links.title}[/bold]")
    if links.organiser_password:
        console.print(f"Organiser account: {links.organiser_email}  password: {links.organiser_password}")
    else:
        console.print(f"Organiser account: {links.organiser_email} (password set earlier)")
    console.print(f"[bold]Organiser[/bold]        {links.organiser_link}  (opens once; then sign in with the password)")
    for moderator in links.moderator_links:
        console.print(f"[bold]Moderator[/bold] {moderator.room_name:<9} {moderator.url}")
    console.print(f"[bold]Participant join link[/bold] {links.participant_join_link}")
    console.print(f"[bold]Join code[/bold]        {links.join_code}")
    console.rule()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
