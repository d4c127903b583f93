"""The report as PDF: the DOCX converted by LibreOffice Writer, headless, in the report worker
process (never on the event loop), bounded by ``PDF_CONVERSION_TIMEOUT_S``.

Where a Python with LibreOffice's ``uno`` bridge is on the machine (Debian's ``python3-uno`` comes
with Writer), ``writer_export.py`` drives Writer: it updates the table of contents before the
export, so the PDF's contents list page numbers. Without the bridge, ``soffice --convert-to``
converts the DOCX as it is, and the contents keep their hint that Word adds the page numbers.

Each conversion runs in a directory of its own with a LibreOffice profile of its own, so that a
LibreOffice the machine's user has open, or another server process converting at the same time,
cannot take the job over or lock the profile. ``make run`` installs Writer (``make
system-writer``); a server without it answers the PDF export with 501 ``pdf_unavailable`` and says
how to install it, and DOCX and Markdown keep working.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from app.errors import DomainError

# A cold start of LibreOffice with a fresh profile plus a long report took about 10 s on the
# 2-core development machine under load; a conversion still running after this is stuck.
PDF_CONVERSION_TIMEOUT_S = 120
# Each conversion's fresh profile starts with automatic spell checking off: Writer checks a loaded
# document's words in the background when a dictionary is installed (Debian's Writer brings
# hunspell-en-us), work a PDF never shows. Measured on a report of 2,000 answers: 1.5-2 s of
# LibreOffice's 10-12 s of CPU.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Linguistic/SpellChecking"><prop oor:name="IsSpellAuto" oor:op="fuse">\
<value>false</value></prop></item>
</oor:items>
"""
INSTALL_HINT = (
    "install LibreOffice Writer on the server (make system-writer, or apt-get install libreoffice-writer-nogui)"
)


class PdfUnavailable(DomainError):
    """This server has no LibreOffice Writer to make PDFs with (DOCX and Markdown still work)."""

    status_code = 501
    code = "pdf_unavailable"


class PdfConversionFailed(RuntimeError):
    """LibreOffice did not produce the PDF (raised in the worker; the service answers 503)."""


class PdfFailed(DomainError):
    status_code = 503
    code = "pdf_failed"


def soffice_path() -> str | None:
    """LibreOffice's ``soffice`` if its Writer module is there (Calc or Impress alone also install
    an ``soffice``, which cannot load a DOCX)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    program = Path(os.path.realpath(soffice)).parent
    return soffice if (program / "libswlo.so").is_file() else None


# Where a Python with the ``uno`` bridge may be: LibreOffice's own (its official builds bundle one),
# then the system's (Debian's python3-uno installs the bridge for it).
UNO_PYTHONS = ("{program}/python", "/usr/bin/python3", "python3")
WRITER_EXPORT = Path(__file__).with_name("writer_export.py")


@functools.cache
def uno_python() -> str | None:
    """A Python that can ``import uno`` and so drive Writer, or None (looked for once per process)."""
    soffice = soffice_path()
    if soffice is None:
        return None
    program = str(Path(os.path.realpath(soffice)).parent)
    for candidate in UNO_PYTHONS:
        python = shutil.which(candidate.format(program=program))
        if python is None or Path(python).resolve() == Path(sys.executable).resolve():
            continue  # the server's own Python never has the bridge in its virtualenv
        probe = subprocess.run([python, "-c", "import uno"], capture_output=True, check=False, timeout=30)  # noqa: S603
        if probe.returncode == 0:
            return python
    return None


def pdf_contents_paged() -> bool:
    """Whether the PDF's table of contents will list page numbers (the DOCX then needs no hint)."""
    return uno_python() is not None


def require_converter() -> None:
    if soffice_path() is None:
        raise PdfUnavailable(f"PDF export is not available on this server: {INSTALL_HINT}; DOCX and Markdown work")


def docx_to_pdf(docx: bytes, timeout_s: float = PDF_CONVERSION_TIMEOUT_S) -> bytes:
    """The PDF of ``docx``. Runs in the worker process."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfConversionFailed(f"LibreOffice Writer is missing: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="breakouts-pdf-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(docx)
        profile = _fresh_profile(work)
        python = uno_python()
        if python is not None:
            _export_with_writer(python, soffice, profile, source, timeout_s)
            return (work / "report.pdf").read_bytes()
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False)  # noqa: S603 - our own argv
        except subprocess.TimeoutExpired as timed_out:
            raise PdfConversionFailed(f"LibreOffice did not finish the PDF within {timeout_s:.0f} s") from timed_out
        pdf = work / "report.pdf"
        if result.returncode != 0 or not pdf.is_file():
            raise PdfConversionFailed(f"LibreOffice could not convert the report: {result.stderr.strip()[-500:]}")
        return pdf.read_bytes()


def _fresh_profile(work: Path) -> Path:
    """A LibreOffice profile of the conversion's own, with ``PROFILE_SETTINGS``."""
    profile = work / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
    return profile


def _export_with_writer(python: str, soffice: str, profile: Path, source: Path, timeout_s: float) -> None:
    """Runs ``writer_export.py`` in a process group of its own, so that a timeout ends the Writer it
    started too."""
    target = source.with_name("report.pdf")
    command = [python, str(WRITER_EXPORT), soffice, str(profile), str(source), str(target)]
    process = subprocess.Popen(  # noqa: S603 - our own argv
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        _, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired as timed_out:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfConversionFailed(f"LibreOffice did not finish the PDF within {timeout_s:.0f} s") from timed_out
    if process.returncode != 0 or not target.is_file():
        raise PdfConversionFailed(f"LibreOffice could not convert the report: {stderr.strip()[-500:]}")
