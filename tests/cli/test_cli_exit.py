"""How the ``planwatch`` command ends: the same status, output and clean-up as an ordinary exit.

``planwatch.cli.main.run`` leaves through ``os._exit`` (no interpreter tear-down), so each
test here runs a fresh interpreter and checks from outside what a user or a script would
see: the exit status, every line of the output, exit handlers run, temporary folders gone,
and a thread still working waited for.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from planwatch.cli.main import COMMANDS, _exit_status


def _planwatch(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    prologue = "import sys\nfrom planwatch.cli import main\nsys.argv[0] = 'planwatch'\n"
    return subprocess.run(
        [sys.executable, "-c", prologue + code + "\nmain.run()\n", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_help_is_printed_whole_with_status_zero() -> None:
    done = _planwatch("", "--help")
    assert done.returncode == 0, done.stderr
    for name, _modules, _help in COMMANDS:
        assert name in done.stdout
    assert done.stdout.endswith("\n")


def test_usage_error_keeps_its_status_and_message() -> None:
    done = _planwatch("", "no-such-command")
    assert done.returncode == 2
    assert "no-such-command" in done.stderr


def test_planwatch_error_is_a_message_and_status_one(tmp_path: Path) -> None:
    done = _planwatch("", "status", str(tmp_path / "无此工作区"), "--year", "2024")
    assert done.returncode == 1
    assert "无此工作区" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_exit_handlers_run_and_temporary_folders_go(tmp_path: Path) -> None:
    marker = tmp_path / "atexit.txt"
    record = tmp_path / "tempdir.txt"
    code = (
        "import atexit, tempfile\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w', encoding='utf-8').write('已执行'))\n"
        "kept = tempfile.TemporaryDirectory()\n"
        f"open({str(record)!r}, 'w', encoding='utf-8').write(kept.name)\n"
    )
    done = _planwatch(code, "--help")
    assert done.returncode == 0, done.stderr
    assert marker.read_text(encoding="utf-8") == "已执行"
    assert not Path(record.read_text(encoding="utf-8")).exists()


def test_a_running_thread_is_waited_for(tmp_path: Path) -> None:
    marker = tmp_path / "thread.txt"
    code = (
        "import threading, time\n"
        "def late():\n"
        "    time.sleep(0.5)\n"
        f"    open({str(marker)!r}, 'w', encoding='utf-8').write('写完')\n"
        "threading.Thread(target=late).start()\n"
    )
    done = _planwatch(code, "--help")
    assert done.returncode == 0, done.stderr
    assert marker.read_text(encoding="utf-8") == "写完"


@pytest.mark.parametrize(
    ("code", "status", "printed"),
    [(None, 0, ""), (0, 0, ""), (3, 3, ""), ("出错了", 1, "出错了\n")],
)
def test_exit_status_as_sys_exit_gives_it(
    code: int | str | None, status: int, printed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _exit_status(SystemExit(code)) == status
    assert capsys.readouterr().err == printed
