"""An uploaded workbook waiting for the unit's confirmation, and what it would change.

Nothing of an upload is stored in the database before the unit confirms: the file is kept in
the workspace's ``web_uploads`` folder under a random token, checked with the library's dry
run (every check and the storing itself, rolled back), and compared with the unit's latest
revision. Confirming imports that very file; the folder is removed either way.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from planwatch.collect import breakdowns as bd
from planwatch.collect.catalogue import ImportCatalogue
from planwatch.collect.importer import check_file
from planwatch.collect.problems import Problem
from planwatch.collect.rules import effective_value
from planwatch.limits import Limits
from planwatch.store.models import Unit
from planwatch.web.errors import WebError
from planwatch.web.form_data import latest_submission, stored_figures

UPLOADS = "web_uploads"
STALE_SECONDS = 24 * 3600


class UploadTooLarge(WebError):
    code = "web.upload_too_large"


class NoPendingUpload(WebError):
    """The token names no upload of this unit and user (already confirmed, or never made)."""

    code = "web.upload_missing"


class UploadRefused(WebError):
    """The confirmed file no longer passes (the data was approved or changed meanwhile)."""

    code = "web.upload_refused"

_TOKEN_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class Pending:
    folder: Path
    file: Path
    unit_id: int
    year: int
    username: str


def keep(workspace_path: Path, unit_id: int, year: int, username: str, name: str,
         content: bytes) -> tuple[str, Pending]:
    """Keep an upload under a new token; the file keeps only a plain suffix of its name."""
    _forget_stale(workspace_path / UPLOADS)
    token = secrets.token_urlsafe(18)
    folder = workspace_path / UPLOADS / f"{unit_id}-{token}"
    folder.mkdir(parents=True)
    suffix = Path(name).suffix.lower()
    file = folder / ("上传文件" + (suffix if suffix in (".xlsx", ".xlsm", ".csv") else ".bin"))
    file.write_bytes(content)
    (folder / "meta.json").write_text(json.dumps({"year": year, "username": username, "name": name},
                                                 ensure_ascii=False), encoding="utf-8")
    return token, Pending(folder, file, unit_id, year, username)


def _forget_stale(root: Path) -> None:
    """Uploads never confirmed are dropped after a day, so the folder does not grow without end."""
    if not root.is_dir():
        return
    cutoff = time.time() - STALE_SECONDS
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def pending(workspace_path: Path, unit_id: int, token: str, username: str) -> Pending | None:
    """The kept upload of this unit and user under ``token``, or None (unknown, another's, malformed)."""
    if not token or len(token) > 64 or not set(token) <= _TOKEN_CHARS:
        return None
    folder = workspace_path / UPLOADS / f"{unit_id}-{token}"
    meta_file = folder / "meta.json"
    if not meta_file.is_file():
        return None
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    if meta.get("username") != username:
        return None
    files = [p for p in folder.iterdir() if p.name != "meta.json"]
    if len(files) != 1:
        return None
    return Pending(folder, files[0], unit_id, int(meta["year"]), username)


def discard(p: Pending) -> None:
    shutil.rmtree(p.folder, ignore_errors=True)


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    breakdown: str
    before: float | None
    after: float | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "新增"
        if self.after is None:
            return "删除"
        return "修改"


@dataclass
class Preview:
    problems: list[Problem]
    changes: list[Change]
    unit_name: str | None
    year: int | None
    belongs: bool
    """the file names this unit (and the year asked for)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def preview(session: Session, unit: Unit, year: int, file: Path, limits: Limits) -> Preview:
    """The file's problems (with sheet, row and column) and its figures against the latest revision."""
    catalogue = ImportCatalogue.load(session)
    checked = check_file(session, file, catalogue=catalogue, limits=limits)
    ctx = checked.context
    belongs = ctx is not None and ctx.unit_id == unit.id and ctx.year == year
    changes: list[Change] = []
    if belongs:
        latest = latest_submission(session, unit.area_code, unit.id, year)
        before = {k: f.value for k, f in (stored_figures(session, latest.id).items() if latest else [])}
        after: dict[tuple[str, str], float] = {}
        for r in checked.parsed.rows:
            value = effective_value(r, catalogue.indicators.get(r.indicator_code))
            if value is not None:
                after[(r.indicator_code, r.breakdown or bd.TOTAL)] = value
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                spec = catalogue.indicators.get(key[0])
                changes.append(Change(key[0], spec.name if spec else key[0], bd.label(key[1]),
                                      before.get(key), after.get(key)))
    return Preview(list(checked.report.problems), changes, checked.parsed.unit_name, checked.parsed.year, belongs)
