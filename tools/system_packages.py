"""The system components that `make test` needs, each found by the part a test actually uses.

    python3 tools/system_packages.py check writer fonts chromium     # lists what is missing
    python3 tools/system_packages.py install writer fonts chromium   # installs it (Debian, as root)

| component | used by | found by | Debian packages |
| --- | --- | --- | --- |
| writer | the report tests' DOCX → PDF conversion, with the contents' page numbers brought up to date | `libswlo.so` (LibreOffice's Writer) beside the `soffice` on PATH (Calc or Impress alone also give an `soffice`), and a Python that imports LibreOffice's `uno` bridge | libreoffice-writer-nogui, python3-uno |
| fonts | Bengali in the PDF and in the browser screenshots | `fc-list :lang=bn` names Noto Sans Bengali | fonts-noto-core, fontconfig |
| chromium | the browser tests | `chromium` on PATH | chromium |
| redis | the scale-out tests that pause or stop a Redis of their own | `redis-server` on PATH | redis-server |
| poppler | the position paper's first page as a PNG in test-artifacts/ | `pdftoppm` on PATH | poppler-utils |

Standard library only: it runs with the machine's `python3` before the project's virtualenv exists.
`install` runs apt-get as root (CI runs as root); anyone else gets the command to run and exit
code 2. apt-get waits for another apt run's lock instead of failing. After installing, the
component is looked for again, so a package that does not provide it is a failure, not a pass.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

APT_LOCK_TIMEOUT_S = 900  # another apt run (an unattended upgrade, a parallel make) finishes first
EXIT_MISSING = 1
EXIT_NOT_ROOT = 2
EXIT_INSTALL_FAILED = 3
# Debian's Python, for which python3-uno installs LibreOffice's bridge (app/reports/pdf.py looks
# for it there too).
SYSTEM_PYTHON = Path("/usr/bin/python3")


def writer_present() -> bool:
    """LibreOffice can convert a DOCX only with its Writer module, `libswlo.so` in the program folder."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return False
    program = Path(os.path.realpath(soffice)).parent
    if not (program / "libswlo.so").is_file():
        return False
    # The bridge that lets the server update the PDF's table of contents: in LibreOffice's own
    # Python (official builds) or the system's (Debian's python3-uno).
    for python in (program / "python", SYSTEM_PYTHON):
        if (
            python.is_file()
            and subprocess.run([python, "-c", "import uno"], capture_output=True, check=False).returncode == 0
        ):
            return True
    return False


def bengali_font_present() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run([fc_list, ":lang=bn", "family"], capture_output=True, text=True, check=False)
    return "Noto Sans Bengali" in listed.stdout


def chromium_present() -> bool:
    return shutil.which("chromium") is not None


def redis_server_present() -> bool:
    return shutil.which("redis-server") is not None


def poppler_present() -> bool:
    return shutil.which("pdftoppm") is not None


@dataclass(frozen=True)
class Component:
    name: str
    purpose: str
    packages: tuple[str, ...]
    present: Callable[[], bool]


COMPONENTS = {
    component.name: component
    for component in (
        Component(
            "writer",
            "LibreOffice Writer for the DOCX → PDF check",
            ("libreoffice-writer-nogui", "python3-uno"),
            writer_present,
        ),
        Component(
            "fonts", "Noto fonts so that Bengali renders", ("fonts-noto-core", "fontconfig"), bengali_font_present
        ),
        Component("chromium", "Debian's Chromium for the browser tests", ("chromium",), chromium_present),
        Component(
            "redis", "a redis-server the fault tests can pause and stop", ("redis-server",), redis_server_present
        ),
        Component("poppler", "poppler's pdftoppm for the report's page images", ("poppler-utils",), poppler_present),
    )
}


def missing(names: Sequence[str]) -> list[Component]:
    return [COMPONENTS[name] for name in names if not COMPONENTS[name].present()]


def apt_get(executable: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [executable, "-o", f"DPkg::Lock::Timeout={APT_LOCK_TIMEOUT_S}", *arguments]
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(command, env=environment, capture_output=True, text=True, check=False)


def install(names: Sequence[str]) -> int:
    needed = missing(names)
    if not needed:
        return 0
    packages = [package for component in needed for package in component.packages]
    for component in needed:
        print(f"Installing {component.purpose}: {' '.join(component.packages)}", flush=True)
    if os.geteuid() != 0:
        print(f"Not root: run `sudo apt-get install -y {' '.join(packages)}`, then again.", file=sys.stderr)
        return EXIT_NOT_ROOT
    executable = shutil.which("apt-get")
    if executable is None:
        print(f"No apt-get here: install the equivalent of {' '.join(packages)} by hand.", file=sys.stderr)
        return EXIT_INSTALL_FAILED
    started = time.monotonic()
    for step in (("update", "-qq"), ("install", "-y", "-qq", *packages)):
        result = apt_get(executable, *step)
        if result.returncode != 0:
            print(f"apt-get {step[0]} failed:\n{result.stdout}{result.stderr}", file=sys.stderr)
            return EXIT_INSTALL_FAILED
    still_missing = missing([component.name for component in needed])
    if still_missing:
        names_left = ", ".join(component.name for component in still_missing)
        print(f"Installed {' '.join(packages)}, but still missing: {names_left}", file=sys.stderr)
        return EXIT_INSTALL_FAILED
    print(f"Installed {' '.join(packages)} in {time.monotonic() - started:.0f} s", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("check", "install"))
    parser.add_argument("components", nargs="+", choices=sorted(COMPONENTS))
    arguments = parser.parse_args(argv)
    if arguments.action == "install":
        return install(arguments.components)
    absent = missing(arguments.components)
    for component in absent:
        print(f"missing: {component.name} ({component.purpose}): apt-get install {' '.join(component.packages)}")
    return EXIT_MISSING if absent else 0


if __name__ == "__main__":
    sys.exit(main())
