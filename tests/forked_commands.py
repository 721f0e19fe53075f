"""Run ``python -c CODE ARGS`` many times without paying for the interpreter's start each time.

A command-line test that runs planwatch in a fresh interpreter spends nearly all of its time
starting Python and importing the same libraries (about 1.5 s of CPU for a command that reads a
few rows). ``ForkedInterpreter`` starts one helper interpreter with a fixed environment, imports
the ``preload`` modules in it once, and then forks it for each run: the child sets ``sys.argv``,
its working folder and its standard streams as a new process would have them and runs ``CODE``
the way ``python -c`` does (an uncaught exception prints its traceback and exits 1, ``SystemExit``
gives the exit status, ``atexit`` functions run at the end). What a run loads, prints and
returns is what a fresh interpreter's run would, except that the preloaded modules are already
in ``sys.modules``; the helper refuses to start if any of the ``forbidden`` modules is loaded
after preloading, so a test that looks for such modules in a child's ``sys.modules`` sees only
what the run itself imported.
"""

from __future__ import annotations

import contextlib
import json
import locale
import os
import select
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

_SERVER = r'''
import atexit, importlib, json, os, sys, traceback
preload, forbidden = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for name in preload:
    importlib.import_module(name)
loaded = sorted({f for f in forbidden for m in list(sys.modules) if m == f or m.startswith(f + ".")})
if loaded:
    raise SystemExit("preloading loaded " + ", ".join(loaded))
requests, replies = sys.stdin, os.fdopen(int(sys.argv[3]), "w")
replies.write("ready\n")
replies.flush()
for line in requests:
    request = json.loads(line)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        replies.close()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, name in ((1, "stdout"), (2, "stderr")):
            out = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(out, fd)
            os.close(out)
        if request["cwd"] is not None:
            os.chdir(request["cwd"])
        sys.argv = ["-c", *request["args"]]
        status = 0
        try:
            exec(compile(request["code"], "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
        except SystemExit as stop:
            if stop.code is None:
                status = 0
            elif isinstance(stop.code, int):
                status = stop.code
            else:
                print(stop.code, file=sys.stderr)
                status = 1
        except BaseException:
            traceback.print_exc()
            status = 1
        try:
            atexit._run_exitfuncs()
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:
                    pass
            os._exit(status & 0xFF)
    _, wait_status = os.waitpid(pid, 0)
    replies.write(json.dumps(os.waitstatus_to_exitcode(wait_status)) + "\n")
    replies.flush()
'''


class ForkedInterpreter:
    """One helper interpreter, forked for each ``run``; close it (or use ``with``) when done."""

    def __init__(self, env: Mapping[str, str], preload: Iterable[str], forbidden: Iterable[str] = ()) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="forked-")
        self._count = 0
        self._encoding = locale.getpreferredencoding(False)  # what subprocess.run(text=True) decodes with
        read_end, write_end = os.pipe()
        self._process = subprocess.Popen(
            [sys.executable, "-c", _SERVER, json.dumps(list(preload)), json.dumps(list(forbidden)), str(write_end)],
            stdin=subprocess.PIPE, text=True, env=dict(env), pass_fds=(write_end,),
            start_new_session=True,  # its own process group: a timeout kills it and its children
        )
        os.close(write_end)
        self._replies = os.fdopen(read_end, "r")
        first = self._replies.readline()
        if first != "ready\n":
            self.close()
            raise RuntimeError(f"the helper interpreter did not start (exit {self._process.poll()})")

    def run(
        self, code: str, args: Iterable[str], cwd: Path | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """What ``subprocess.run([python, "-c", code, *args], capture_output=True, text=True)`` gives;
        a run that takes longer than ``timeout`` seconds stops the helper and raises
        ``subprocess.TimeoutExpired``."""
        assert self._process.stdin is not None
        self._count += 1
        out = Path(self._folder.name) / f"{self._count}.out"
        err = Path(self._folder.name) / f"{self._count}.err"
        argv = [str(a) for a in args]
        request = {"code": code, "args": argv, "cwd": None if cwd is None else str(cwd),
                   "stdout": str(out), "stderr": str(err)}
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        if not select.select([self._replies], [], [], timeout)[0]:
            os.killpg(self._process.pid, signal.SIGKILL)
            raise subprocess.TimeoutExpired([sys.executable, "-c", code, *argv], timeout)
        reply = self._replies.readline()
        if not reply:
            raise RuntimeError(f"the helper interpreter stopped (exit {self._process.poll()})")
        return subprocess.CompletedProcess(
            [sys.executable, "-c", code, *argv], json.loads(reply),
            out.read_text(encoding=self._encoding), err.read_text(encoding=self._encoding),
        )

    def close(self) -> None:
        if self._process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):  # the helper was stopped after a timeout
                self._process.stdin.close()
        self._process.wait(timeout=60)
        self._replies.close()
        self._folder.cleanup()

    def __enter__(self) -> ForkedInterpreter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
