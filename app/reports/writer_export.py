"""Converts a DOCX to PDF in LibreOffice Writer with its table of contents brought up to date, so the
PDF's contents list page numbers: ``python3 writer_export.py SOFFICE PROFILE_DIR SOURCE.docx TARGET.pdf``.

A plain ``soffice --convert-to pdf`` prints a table of contents as the DOCX carries it: Word fills
in page numbers when the reader updates the field, but a PDF's reader cannot. This script starts
Writer headless, loads the document, updates every index in it (Writer's own pagination), and
exports the PDF.

It runs under a Python that has LibreOffice's ``uno`` bridge (Debian's ``python3-uno``, which
``libreoffice-writer-nogui`` brings, or LibreOffice's own bundled Python), not under the server's
virtualenv: it imports nothing but the standard library and ``uno``. ``app/reports/pdf.py`` finds
that Python and runs this file; exit status 0 with the PDF written, anything else is a failure
whose message is on stderr.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]  # LibreOffice's bridge, not in the virtualenv

# Writer with a fresh profile took about 1 s to accept a connection on the 2-core development
# machine; the server's own timeout bounds the whole conversion.
CONNECT_WAIT_S = 60.0
CONNECT_RETRY_S = 0.1


def _property(name: str, value: Any) -> Any:
    prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    prop.Name = name
    prop.Value = value
    return prop


def _connect(pipe: str, writer: subprocess.Popen[bytes]) -> Any:
    """The component context of the Writer listening on ``pipe``, once it accepts connections."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    no_connection = uno.getClass("com.sun.star.connection.NoConnectException")
    deadline = time.monotonic() + CONNECT_WAIT_S
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except no_connection:
            if writer.poll() is not None:
                raise RuntimeError(f"LibreOffice exited with status {writer.returncode} before it accepted") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"LibreOffice did not accept a connection within {CONNECT_WAIT_S:.0f} s") from None
            time.sleep(CONNECT_RETRY_S)  # Writer is still starting: nothing to wait on but time


def export(soffice: str, profile: Path, source: Path, target: Path) -> None:
    pipe = f"breakouts-{uuid.uuid4().hex}"
    writer = subprocess.Popen(  # noqa: S603 - our own argv
        [
            soffice,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        context = _connect(pipe, writer)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(source.resolve().as_uri(), "_blank", 0, (_property("Hidden", True),))
        if document is None:
            raise RuntimeError("LibreOffice could not open the report")
        indexes = document.getDocumentIndexes()
        for position in range(indexes.getCount()):
            indexes.getByIndex(position).update()
        document.storeToURL(target.resolve().as_uri(), (_property("FilterName", "writer_pdf_Export"),))
        document.close(True)
        # The bridge may drop as Writer quits; the PDF is written by then.
        with contextlib.suppress(Exception):
            desktop.terminate()
        writer.wait(CONNECT_WAIT_S)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    soffice, profile, source, target = argv
    try:
        export(soffice, Path(profile), Path(source), Path(target))
    except Exception as failed:  # the caller reads stderr and the status
        print(f"{type(failed).__name__}: {failed}", file=sys.stderr)
        return 1
    return 0 if Path(target).is_file() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
