"""`planwatch serve`, the web settings in workspace.yaml, and the signing secret."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.demo import DemoSummary
from planwatch.web.settings import SECRET_ENV, SECRET_FILE, WebSettings, WebSettingsError, load_secret


@pytest.fixture
def ws_path(demo: DemoSummary, tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    shutil.copytree(demo.path, path)
    return path


def _set_web(path: Path, section: dict[str, Any]) -> None:
    file = path / "workspace.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["web"] = section
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_serve_runs_the_app_on_the_given_address(ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(asgi: Any, **kwargs: Any) -> None:
        seen.update(kwargs, app=asgi)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    _set_web(ws_path, {"secure_cookies": True})
    result = CliRunner().invoke(app, ["serve", str(ws_path), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123 and "http://127.0.0.1:8123/" in result.output
    page = TestClient(seen["app"], base_url="https://testserver").get("/login")
    assert page.status_code == 200 and "strict-transport-security" in page.headers  # workspace.yaml's web section


def test_invalid_web_settings_are_refused(ws_path: Path) -> None:
    _set_web(ws_path, {"idle_minutes": 120})
    result = CliRunner().invoke(app, ["serve", str(ws_path)])
    assert result.exit_code == 1 and "web 配置无效" in result.output
    with pytest.raises(WebSettingsError):
        WebSettings.from_workspace_extra({"web": {"no_such": 1}})
    assert WebSettings.from_workspace_extra(None).idle_minutes == 30


def test_the_secret_is_made_once_private_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    first = load_secret(tmp_path)
    assert len(first) >= 40 and load_secret(tmp_path) == first
    assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600
    monkeypatch.setenv(SECRET_ENV, "from-the-environment")
    assert load_secret(tmp_path) == "from-the-environment"
