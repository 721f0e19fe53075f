"""The root command builds only the command being run, yet lists and finds every command.

``planwatch.cli.main.COMMANDS`` names each command, its module and its first line of help so
that ``planwatch --help`` need not import the command modules. These tests keep that table
equal to what the modules define and check that the lazy group behaves like the eager one.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys

from typer.main import get_command, get_command_name, solve_typer_info_defaults
from typer.testing import CliRunner

from planwatch.cli import main

_RUN = "import sys; from planwatch.cli import main; {before}; sys.argv[0] = 'planwatch'; main.run()"


def _planwatch(*args: str, before: str = "pass") -> subprocess.CompletedProcess[str]:
    """``planwatch ARGS`` in a fresh interpreter, at a fixed terminal width."""
    env = {**os.environ, "COLUMNS": "100", "TERM": "dumb"}
    code = _RUN.format(before=before)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)


def _first_paragraph(command: object) -> str:
    text = getattr(command, "short_help", None) or getattr(command, "help", None) or ""
    return inspect.cleandoc(text).split("\n\n")[0]


def test_the_command_table_equals_what_the_modules_define() -> None:
    """Every command the modules register is in the table, once, with its module and help, in
    the order the eager group listed them: commands, then groups, each by module order."""
    main.register_all()
    module_rank = {name: i for i, name in enumerate(main.COMMAND_MODULES)}

    def module_of(callback: object) -> str:
        return str(getattr(callback, "__module__", "")).rsplit(".", 1)[1]

    commands = []
    for info in main.commands.registered_commands:
        assert info.callback is not None
        name = info.name or get_command_name(info.callback.__name__)
        commands.append((name, (module_of(info.callback),)))
    groups = []
    for group_info in main.commands.registered_groups:
        sub = group_info.typer_instance
        assert sub is not None and sub.registered_commands
        modules = tuple(dict.fromkeys(module_of(c.callback) for c in sub.registered_commands))
        groups.append((solve_typer_info_defaults(group_info).name, modules))
    # A group is listed where the module that adds it (the first of its modules) is imported.
    expected = [
        *sorted(commands, key=lambda c: module_rank[c[1][0]]),
        *sorted(groups, key=lambda g: module_rank[g[1][0]]),
    ]
    assert [(name, modules) for name, modules, _ in main.COMMANDS] == expected
    assert len({name for name, _ in expected}) == len(expected), "a command name is registered twice"
    assert set(main.COMMAND_MODULES) == {m for _, modules in expected for m in modules}

    group = main._Planwatch(name="planwatch")
    for name, _, text in main.COMMANDS:
        assert _first_paragraph(group.get_command(None, name)) == text, name  # type: ignore[arg-type]


def test_help_lists_every_command_without_importing_them() -> None:
    lazy = _planwatch("--help", before="pass")
    eager = _planwatch("--help", before="main.register_all()")
    assert lazy.returncode == eager.returncode == 0, lazy.stderr + eager.stderr
    assert lazy.stdout == eager.stdout
    for name, _, _ in main.COMMANDS:
        assert f" {name} " in lazy.stdout, name

    probe = _planwatch(
        "--help",
        before="import atexit; atexit.register(lambda: print(sorted(m for m in sys.modules "
        "if m.endswith('_cmd') or m in ('planwatch.api', 'pydantic', 'sqlalchemy'))))",
    )
    assert probe.stdout.strip().splitlines()[-1] == "[]"


def test_a_command_imports_only_its_own_module() -> None:
    probe = _planwatch(
        "status",
        "--help",
        before="import atexit; atexit.register(lambda: print(sorted(m for m in sys.modules if m.endswith('_cmd'))))",
    )
    assert probe.returncode == 0, probe.stderr
    assert "--year" in probe.stdout
    assert probe.stdout.strip().splitlines()[-1] == "['planwatch.cli.collect_cmd']"


def test_an_unknown_command_is_refused_with_a_suggestion() -> None:
    result = _planwatch("statu")
    assert result.returncode == 2
    assert "No such command 'statu'. Did you mean 'status'?" in result.stderr


def test_a_group_runs_through_the_lazy_root() -> None:
    result = CliRunner().invoke(main.app, ["submission", "--help"])
    assert result.exit_code == 0, result.output
    for sub in ("list", "show", "submit", "review", "approve", "return", "unlock"):
        assert sub in result.output


def test_a_group_gathered_from_several_modules_has_all_its_commands() -> None:
    """``catalogue match`` is defined apart from the other catalogue commands."""
    result = _planwatch("catalogue", "--help")
    assert result.returncode == 0, result.stderr
    for sub in ("export", "import", "links", "match"):
        assert f" {sub} " in result.stdout, sub


def test_a_group_is_whole_even_when_one_of_its_modules_was_imported_first() -> None:
    result = _planwatch("catalogue", "--help", before="import planwatch.cli.store_cmd")
    assert result.returncode == 0, result.stderr
    assert " match " in result.stdout


def test_the_root_builds_no_command_however_many_modules_are_imported() -> None:
    """A process that has imported every command module (the tests, a tool running commands
    in-process) still builds only the command it runs: typer builds the root group on every
    call, so commands registered on the root app itself were built again each time."""
    main.register_all()
    root = get_command(main.app)
    assert isinstance(root, main._Planwatch)
    assert not any(root.commands.is_built(name) for name, _, _ in main.COMMANDS)
    assert root.get_command(None, "status") is not None  # type: ignore[arg-type]
    assert root.commands.is_built("status")
    assert not root.commands.is_built("assess")
