"""Give pytest-xdist workers the controller's terminal size variables and short temp paths, and
keep chosen test files together on one worker.

Workers start with ``COLUMNS=80`` and ``LINES=24`` in their environment even when the
controller has neither, and planwatch's console (``planwatch.cli.console``, made when it is
imported) then wraps every CLI table at 80 columns whatever a test's ``COLUMNS`` says. The
controller records its own values before the workers start; a worker that imports this module
(before anything imports the console) puts them back.

Each worker's temporary folder is ``<base>/popen-gwN``: longer than a serial run's, and a CLI
message that prints a temporary path wraps where it did not. So a parallel run without its own
``--basetemp`` gets a short fresh base folder, removed again when every test passed.

``--dist loadfile`` makes each file one unit of work for whichever worker asks next;
``files_together_scheduler`` makes a group of files one unit instead, run on the same worker one
after the other, for files that share what is costly to start (see tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from xdist.remote import Producer
    from xdist.scheduler.protocol import Scheduling

_VARIABLES = ("COLUMNS", "LINES")
_KEY = "PLANWATCH_TEST_TERMINAL"


def remember_terminal() -> None:
    os.environ[_KEY] = json.dumps({name: os.environ.get(name) for name in _VARIABLES})


def restore_terminal() -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER") or _KEY not in os.environ:
        return
    for name, value in json.loads(os.environ[_KEY]).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def short_basetemp(config: pytest.Config) -> str | None:
    """A fresh short base folder for a parallel run that names none; None otherwise."""
    if config.getoption("numprocesses", None) in (None, 0) or config.option.basetemp is not None:
        return None
    folder = tempfile.mkdtemp(prefix="pw-")
    config.option.basetemp = folder
    return folder


def files_together_scheduler(config: pytest.Config, log: Producer, files: Sequence[str]) -> Scheduling | None:
    """xdist's LoadFileScheduling with ``files`` as a single scope (named after the first).

    The scope of a test is what LoadFileScheduling's ``_split_scope`` returns, a method that xdist
    documents nowhere: when a release no longer has it, None leaves xdist its own scheduler, and
    the files are shared out one by one again (each worker then pays its own start-up)."""
    from xdist.scheduler import LoadFileScheduling

    if not callable(getattr(LoadFileScheduling, "_split_scope", None)):  # private to pytest-xdist
        return None
    together = frozenset(files)

    class FilesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope: str = super()._split_scope(nodeid)
            return files[0] if scope in together else scope

    return FilesTogether(config, log)


def remove_if_passed(folder: str | None, exitstatus: int) -> None:
    if folder is not None and exitstatus == 0:
        shutil.rmtree(folder, ignore_errors=True)


restore_terminal()
