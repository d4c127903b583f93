"""What `make test` installs, decided over fake machines: a bare one, one with LibreOffice Calc but
no Writer (any desktop with a spreadsheet), a complete one, and a user who is not root.

The fake machine is a folder put first and alone on PATH, holding stand-ins for `soffice`,
`fc-list` and `apt-get` that behave like Debian's: the fake `apt-get` records its calls and
"installs" a package by creating the files that package provides (`libswlo.so` for Writer,
`chromium` …). Installing real packages from a test would change the machine CI runs on; the
real install runs in `make test` itself (`system-*` targets), before the tests that need it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools import system_packages

FAKE_APT_GET = """#!{python}
import json, os, sys
from pathlib import Path
machine = Path({machine!r})
arguments = sys.argv[1:]
with (machine / "apt-calls.jsonl").open("a") as log:
    log.write(json.dumps({{"arguments": arguments, "frontend": os.environ.get("DEBIAN_FRONTEND")}}) + "\\n")
provides = {{
    "libreoffice-writer-nogui": ["lib/libreoffice/program/libswlo.so", "lib/libreoffice/program/soffice"],
    "fonts-noto-core": ["fonts/NotoSansBengali-Regular.ttf"],
    "chromium": ["bin/chromium"],
    "redis-server": ["bin/redis-server"],
    "python3-uno": ["usr/lib/python3/dist-packages/uno.py"],
}}
if {works!r} and "install" in arguments:
    for package in [a for a in arguments[arguments.index("install") + 1:] if not a.startswith("-")]:
        for path in provides.get(package, []):
            (machine / path).parent.mkdir(parents=True, exist_ok=True)
            (machine / path).write_text("")
            (machine / path).chmod(0o755)
        if package == "libreoffice-writer-nogui" and not (machine / "bin/soffice").exists():
            (machine / "bin/soffice").symlink_to(machine / "lib/libreoffice/program/soffice")
"""
FAKE_SYSTEM_PYTHON = """#!/bin/sh
# Debian's python3: `import uno` works once python3-uno is installed.
test "$*" = "-c import uno" && test -e {uno!r}
"""
FAKE_FC_LIST = """#!{python}
import sys
from pathlib import Path
if sys.argv[1:] == [":lang=bn", "family"] and Path({font!r}).exists():
    print("Noto Sans Bengali,Noto Sans Bengali UI")
"""


@dataclass
class FakeMachine:
    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def executable(self, name: str, text: str = "#!/bin/sh\n") -> None:
        path = self.bin / name
        path.write_text(text)
        path.chmod(0o755)

    def with_apt(self, *, works: bool = True) -> FakeMachine:
        self.executable("apt-get", FAKE_APT_GET.format(python=sys.executable, machine=str(self.root), works=works))
        return self

    def with_fontconfig(self) -> FakeMachine:
        font = self.root / "fonts/NotoSansBengali-Regular.ttf"
        self.executable("fc-list", FAKE_FC_LIST.format(python=sys.executable, font=str(font)))
        return self

    def with_office(self, *modules: str) -> FakeMachine:
        """LibreOffice's core (an `soffice` on PATH linking into its program folder) and the
        named modules' libraries (`libsclo.so` is Calc, `libswlo.so` Writer)."""
        program = self.root / "lib/libreoffice/program"
        program.mkdir(parents=True)
        (program / "soffice").write_text("#!/bin/sh\n")
        (program / "soffice").chmod(0o755)
        (self.bin / "soffice").symlink_to(program / "soffice")
        for module in modules:
            (program / module).write_text("")
        return self

    def with_uno(self) -> FakeMachine:
        """python3-uno installed: the system Python imports LibreOffice's bridge."""
        bridge = self.root / "usr/lib/python3/dist-packages/uno.py"
        bridge.parent.mkdir(parents=True)
        bridge.write_text("")
        return self

    def with_font(self) -> FakeMachine:
        (self.root / "fonts").mkdir(exist_ok=True)
        (self.root / "fonts/NotoSansBengali-Regular.ttf").write_text("")
        return self

    def apt_calls(self) -> list[list[str]]:
        log = self.root / "apt-calls.jsonl"
        if not log.exists():
            return []
        calls = [json.loads(line) for line in log.read_text().splitlines()]
        assert all(call["frontend"] == "noninteractive" for call in calls)
        return [call["arguments"] for call in calls]


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeMachine:
    fake = FakeMachine(tmp_path)
    fake.bin.mkdir()
    monkeypatch.setenv("PATH", str(fake.bin))
    monkeypatch.setattr(system_packages.os, "geteuid", lambda: 0)
    python = tmp_path / "usr/bin/python3"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_SYSTEM_PYTHON.format(uno=str(tmp_path / "usr/lib/python3/dist-packages/uno.py")))
    python.chmod(0o755)
    monkeypatch.setattr(system_packages, "SYSTEM_PYTHON", python)
    return fake


def installed(call: list[str]) -> list[str]:
    """The package names of an `apt-get install` call (its options left out)."""
    if "install" not in call:
        return []
    return [argument for argument in call[call.index("install") + 1 :] if not argument.startswith("-")]


def test_a_bare_machine_misses_all_three(machine: FakeMachine, capsys: pytest.CaptureFixture[str]) -> None:
    assert system_packages.main(["check", "writer", "fonts", "chromium"]) == system_packages.EXIT_MISSING
    out = capsys.readouterr().out
    assert "missing: writer" in out and "missing: fonts" in out and "missing: chromium" in out


def test_a_bare_machine_gets_everything_installed_and_found(machine: FakeMachine) -> None:
    machine.with_apt().with_fontconfig()
    assert system_packages.main(["install", "writer", "fonts", "chromium"]) == 0
    update, install = machine.apt_calls()
    assert "update" in update
    assert set(installed(install)) >= {"libreoffice-writer-nogui", "fonts-noto-core", "chromium"}
    assert any(argument.startswith("DPkg::Lock::Timeout=") for argument in install)
    assert system_packages.main(["check", "writer", "fonts", "chromium"]) == 0


def test_a_machine_without_redis_server_gets_it(machine: FakeMachine, capsys: pytest.CaptureFixture[str]) -> None:
    machine.with_apt()
    assert system_packages.main(["check", "redis"]) == system_packages.EXIT_MISSING
    assert "missing: redis" in capsys.readouterr().out
    assert system_packages.main(["install", "redis"]) == 0
    assert [installed(call) for call in machine.apt_calls()] == [[], ["redis-server"]]
    assert system_packages.main(["check", "redis"]) == 0


def test_calc_alone_gives_soffice_but_not_writer(machine: FakeMachine) -> None:
    machine.with_apt().with_fontconfig().with_font().with_office("libsclo.so")
    assert system_packages.writer_present() is False
    assert system_packages.main(["install", "writer", "fonts"]) == 0
    assert [installed(call) for call in machine.apt_calls()] == [[], ["libreoffice-writer-nogui", "python3-uno"]]
    assert system_packages.writer_present() is True


def test_writer_without_its_bridge_gets_the_bridge(machine: FakeMachine) -> None:
    # Writer alone converts, but the PDF's contents would have no page numbers.
    machine.with_apt().with_office("libswlo.so")
    assert system_packages.writer_present() is False
    assert system_packages.main(["install", "writer"]) == 0
    assert system_packages.writer_present() is True


def test_a_complete_machine_installs_nothing(machine: FakeMachine) -> None:
    machine.with_apt().with_fontconfig().with_font().with_office("libsclo.so", "libswlo.so").with_uno()
    machine.executable("chromium")
    assert system_packages.main(["install", "writer", "fonts", "chromium"]) == 0
    assert machine.apt_calls() == []


def test_only_the_named_components_are_installed(machine: FakeMachine) -> None:
    machine.with_apt().with_fontconfig()
    assert system_packages.main(["install", "chromium"]) == 0
    assert [installed(call) for call in machine.apt_calls()] == [[], ["chromium"]]
    assert system_packages.writer_present() is False


def test_without_root_it_says_what_to_run_and_installs_nothing(
    machine: FakeMachine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    machine.with_apt().with_fontconfig().with_font()
    monkeypatch.setattr(system_packages.os, "geteuid", lambda: 1000)
    assert system_packages.main(["install", "writer", "fonts"]) == system_packages.EXIT_NOT_ROOT
    assert "sudo apt-get install -y libreoffice-writer-nogui" in capsys.readouterr().err
    assert machine.apt_calls() == []


def test_a_package_that_does_not_provide_the_component_fails(
    machine: FakeMachine, capsys: pytest.CaptureFixture[str]
) -> None:
    machine.with_apt(works=False).with_fontconfig().with_font()
    assert system_packages.main(["install", "writer"]) == system_packages.EXIT_INSTALL_FAILED
    assert "still missing: writer" in capsys.readouterr().err


def test_a_machine_without_apt_is_told_what_to_install(
    machine: FakeMachine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert system_packages.main(["install", "chromium"]) == system_packages.EXIT_INSTALL_FAILED
    assert "install the equivalent of chromium by hand" in capsys.readouterr().err
