"""`planwatch demo --fresh` may delete an earlier demo workspace, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from planwatch.demo.build import remove_demo_workspace
from planwatch.store.workspace import WorkspaceError


def test_missing_folder_is_nothing_to_remove(tmp_path: Path) -> None:
    assert remove_demo_workspace(tmp_path / "none") is False


def test_a_demo_workspace_is_removed(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "workspace.yaml").write_text("database_url: null\ndemo:\n  label: 示例数据\n", encoding="utf-8")
    (folder / "planwatch.sqlite").write_bytes(b"x")
    assert remove_demo_workspace(folder) is True
    assert not folder.exists()


@pytest.mark.parametrize(
    "config",
    [
        None,  # a folder that is not a workspace at all
        "database_url: null\nname: real\n",  # a real workspace
        "database_url: postgresql+psycopg://db/x\ndemo: {}\n",  # a demo kept in a server database
    ],
)
def test_anything_else_is_kept(tmp_path: Path, config: str | None) -> None:
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "data.txt").write_text("keep", encoding="utf-8")
    if config is not None:
        (folder / "workspace.yaml").write_text(config, encoding="utf-8")
    with pytest.raises(WorkspaceError):
        remove_demo_workspace(folder)
    assert (folder / "data.txt").read_text(encoding="utf-8") == "keep"
