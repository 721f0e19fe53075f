"""A workspace: one folder holding a monitoring job's configuration, plans and database.

Layout::

    WORKSPACE/
      workspace.yaml      configuration (written last: its presence marks a complete workspace)
      plans/              copies of the plan files the catalogue was read from
      planwatch.sqlite    the database, unless workspace.yaml names a PostgreSQL database_url

``database_url: null`` means the SQLite file inside the folder, so a workspace can be moved
or copied as a whole. A PostgreSQL URL is stored without its password (see
:mod:`planwatch.store.credentials`). What init creates is private to its owner: folders 0700,
files — workspace.yaml, the plan copies, the SQLite database and with it SQLite's -wal and
-shm files, which SQLite creates with the database's mode — 0600. Sections other engineers
own (``assessment`` thresholds …) are kept as free-form mappings here and validated by their
owners.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session, sessionmaker

from planwatch.areas import resolve_area
from planwatch.errors import PlanwatchError
from planwatch.store.credentials import (
    engine_arguments,
    mask_password,
    split_password,
    write_pgpass,
    write_private,
)
from planwatch.store.db import SQLITE_BEGIN_OPTION, check_database_url, make_engine, make_sessionmaker
from planwatch.store.models import AuditEvent
from planwatch.store.schema_version import database_revision, head_by_name, shipped_head, shipped_revisions
from planwatch.store.yaml_input import YamlInputError, load_yaml

if TYPE_CHECKING:  # the catalogue loader and the reader's models are needed only by init
    from planwatch.plan.model import Catalogue
    from planwatch.store.catalogue_loader import LoadSummary

WORKSPACE_FILE = "workspace.yaml"
SQLITE_FILE = "planwatch.sqlite"
PLANS_DIR = "plans"
FORMAT_VERSION = 1


class WorkspaceError(PlanwatchError):
    """A workspace cannot be created or opened; the message says why, in Chinese and English."""

    code = "workspace"


class WorkspaceExistsError(WorkspaceError):
    code = "workspace.exists"


class Deadlines(BaseModel):
    """When each year's material is due, as MM-DD in the year after the reported year."""

    model_config = ConfigDict(extra="allow")

    annual_data: str = Field(default="03-31", description="年度监测数据报送截止日 (MM-DD, 次年)")
    annual_report: str = Field(default="03-31", description="规划落实情况和下一年工作安排报送截止日 (MM-DD, 次年)")

    @field_validator("annual_data", "annual_report")
    @classmethod
    def _month_day(cls, value: str) -> str:
        try:
            dt.date.fromisoformat(f"2024-{value}")  # a leap year, so 02-29 is accepted
        except ValueError:
            raise ValueError(f"截止日期应为 MM-DD must be MM-DD, got {value!r}") from None
        return value

    def due(self, kind: str, year: int) -> dt.date:
        """The deadline for data (``annual_data``) or reports of ``year``: a date in year + 1."""
        month_day = getattr(self, kind)
        month, day = (int(part) for part in str(month_day).split("-"))
        if (month, day) == (2, 29):
            try:
                return dt.date(year + 1, 2, 29)
            except ValueError:
                return dt.date(year + 1, 2, 28)
        return dt.date(year + 1, month, day)


class PlanFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str = Field(description="path relative to the workspace")
    sha256: str


class WorkspaceConfig(BaseModel):
    model_config = ConfigDict(extra="allow")

    planwatch_workspace: int = FORMAT_VERSION
    name: str
    database_url: str | None = Field(
        default=None, description="null: SQLite file planwatch.sqlite inside the workspace"
    )
    plans: list[PlanFile] = Field(default_factory=list)
    deadlines: Deadlines = Field(default_factory=Deadlines)
    assessment: dict[str, Any] = Field(
        default_factory=dict, description="assessment thresholds (owned by planwatch.assess)"
    )

    @field_validator("database_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else check_database_url(value)


@dataclass
class Workspace:
    path: Path
    config: WorkspaceConfig
    engine: Engine
    sessions: sessionmaker[Session]
    load_summary: LoadSummary | None = field(default=None)
    """What init loaded; None for a workspace that was opened."""

    @property
    def database_url(self) -> str:
        return _database_url(self.path, self.config)

    @contextmanager
    def session(self, *, immediate: bool = False) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back entirely if it raises.

        ``immediate``: the block reads and then writes while others may write too (the web
        application's requests); on SQLite it takes the write lock at BEGIN and so waits its
        turn instead of failing with "database is locked". PostgreSQL ignores it.
        """
        with self.sessions() as session, session.begin():
            if immediate:
                session.connection(execution_options={SQLITE_BEGIN_OPTION: "immediate"})
            yield session

    def save_config(self) -> None:
        """Write workspace.yaml atomically (replace, never a half-written file)."""
        _write_config(self.path, self.config)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _database_url(path: Path, config: WorkspaceConfig) -> str:
    if config.database_url:
        return config.database_url
    return f"sqlite:///{(path / SQLITE_FILE).resolve()}"


def _write_config(path: Path, config: WorkspaceConfig) -> None:
    data = config.model_dump(mode="json")
    if data.get("database_url"):
        data["database_url"] = split_password(data["database_url"])[0]  # never the password
    text = "# planwatch 工作区配置 workspace configuration\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False
    )
    write_private(path / WORKSPACE_FILE, text)


def _make_private_dir(path: Path, *, parents: bool = False) -> None:
    path.mkdir(mode=0o700, parents=parents)
    os.chmod(path, 0o700)  # exactly, whatever the umask


def _create_private_file(path: Path) -> None:
    """An empty file only its owner can read; SQLite then opens it as a new database."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.chmod(path, 0o600)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refuse_existing(path: Path, database_url: str | None) -> None:
    if (path / WORKSPACE_FILE).exists():
        raise WorkspaceExistsError(
            f"工作区已存在，未做任何修改：{path / WORKSPACE_FILE} "
            "(workspace already exists; nothing changed — use a new folder)"
        )
    if database_url is None and (path / SQLITE_FILE).exists():
        raise WorkspaceExistsError(
            f"数据库文件已存在，未做任何修改：{path / SQLITE_FILE} (database file already exists)"
        )
    if path.exists() and not path.is_dir():
        raise WorkspaceError(f"不是文件夹 not a folder: {path}")


def _refuse_used_database(engine: Engine) -> None:
    tables = inspect(engine).get_table_names()
    if tables:
        shown = "、".join(sorted(tables)[:5])
        raise WorkspaceExistsError(
            f"数据库中已有数据表（{shown}…），拒绝覆盖 the database is not empty; give an empty database"
        )


def init_workspace(
    path: Path | str,
    plan_files: Sequence[Path | str],
    database_url: str | None = None,
    *,
    actor: str = "planwatch",
    area: str | None = None,
    include_other: bool = False,
) -> Workspace:
    """Create a workspace from plan files: read them, create the schema, load the catalogue.

    Documents of subject ``other`` are skipped unless ``include_other`` (see
    :func:`planwatch.store.catalogue_loader.load_catalogue`).

    All or nothing: the plans are read before anything is written, schema and catalogue go
    in one transaction, and workspace.yaml is written last. An existing workspace (or a
    non-empty database) is refused, never overwritten. ``area`` (a code or a name) places the
    plans that name no area, or an ambiguous one (raises AreaLookupError if it is unknown).
    """
    from planwatch.plan.reader import read_files  # the reader is heavy; only init needs it
    from planwatch.store.catalogue_loader import LoadSummary, load_catalogue
    from planwatch.store.fresh_schema import create_schema  # only init and upgrade change a schema

    path = Path(path)
    password: str | None = None
    if database_url is not None:
        check_database_url(database_url)
        database_url, password = split_password(database_url)
    _refuse_existing(path, database_url)
    given = resolve_area(area) if area else None
    sources = [Path(p) for p in plan_files]
    if not sources:
        raise WorkspaceError("至少需要一个规划文件 give at least one plan file (--plan)")
    for source in sources:
        if not source.is_file():
            raise WorkspaceError(f"找不到规划文件 plan file not found: {source}")
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise WorkspaceError(f"规划文件重名 plan files share a name: {names}")
    catalogues = [(source, read_files([source])) for source in sources]
    for source, catalogue in catalogues:
        if not catalogue.plans:
            raise WorkspaceError(f"文件中没有读到规划 no plan found in {source}")
        _refuse_only_other(source, catalogue, include_other)

    created_dir = not path.exists()
    if created_dir:
        _make_private_dir(path, parents=True)
    config = WorkspaceConfig(
        name=path.resolve().name,
        database_url=database_url,
        plans=[PlanFile(file=f"{PLANS_DIR}/{s.name}", sha256=_sha256(s)) for s in sources],
    )
    made: list[Path] = []
    if database_url is None:
        _create_private_file(path / SQLITE_FILE)
        made.append(path / SQLITE_FILE)
    elif password is not None:
        made.append(write_pgpass(path, database_url, password))
    try:
        url, kwargs = _engine_arguments(path, config)
        engine = make_engine(url, **kwargs)
    except BaseException:
        _remove_created(path, made, created_dir)
        raise
    try:
        _refuse_used_database(engine)
        summary = LoadSummary()
        with engine.begin() as conn:
            create_schema(conn)  # the database was just found empty
            with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
                for source, catalogue in catalogues:
                    summary.add(
                        load_catalogue(
                            session,
                            catalogue,
                            source_file=f"{PLANS_DIR}/{source.name}",
                            actor=actor,
                            area=given,
                            include_other=include_other,
                        )
                    )
                session.add(
                    AuditEvent(
                        actor=actor,
                        action="workspace.init",
                        entity="workspace",
                        entity_id=config.name,
                        detail={"plans": [p.file for p in config.plans]},
                    )
                )
                session.commit()
        if not (path / PLANS_DIR).exists():
            _make_private_dir(path / PLANS_DIR)
        made.append(path / PLANS_DIR)
        for source in sources:
            shutil.copyfile(source, path / PLANS_DIR / source.name)
            os.chmod(path / PLANS_DIR / source.name, 0o600)
        _write_config(path, config)
    except BaseException:
        engine.dispose()
        _remove_created(path, made, created_dir)
        raise
    return Workspace(path, config, engine, make_sessionmaker(engine), summary)


def _refuse_only_other(source: Path, catalogue: Catalogue, include_other: bool) -> None:
    """A file holding only documents of subject ``other`` would load nothing: say so."""
    from planwatch.store.catalogue_loader import outside_monitoring

    if include_other or not all(outside_monitoring(p) for p in catalogue.plans):
        return
    titles = "、".join(f"《{p.title}》" for p in catalogue.plans)
    raise WorkspaceError(
        f"{source} 中只有非妇女儿童规划的文件 {titles}，默认不纳入监测；如要作为规划载入，"
        "请加 --include-other (only documents of subject other; add --include-other to load them)"
    )


def _remove_created(path: Path, made: list[Path], created_dir: bool) -> None:
    """Undo a failed init: remove only what init itself created."""
    for item in made:
        if item.is_dir():
            shutil.rmtree(item, ignore_errors=True)
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(str(item) + extra).unlink(missing_ok=True)
    if created_dir:
        with suppress(OSError):
            path.rmdir()


def read_config(path: Path | str) -> WorkspaceConfig:
    file = Path(path) / WORKSPACE_FILE
    if not file.is_file():
        raise WorkspaceError(f"不是 planwatch 工作区（缺少 {WORKSPACE_FILE}）not a workspace: {path}")
    try:
        data = load_yaml(file.read_bytes())
    except YamlInputError as exc:
        where = f"（{exc.place}）" if exc.place else ""
        raise WorkspaceError(f"{file}{where}：{exc.message}") from None
    if not isinstance(data, dict):
        raise WorkspaceError(f"{file}：应为映射 expected a mapping")
    try:
        config = WorkspaceConfig.model_validate(data)
    except ValidationError as exc:
        details = "；".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise WorkspaceError(f"{file}：配置无效 invalid configuration: {details}") from exc
    if config.planwatch_workspace > FORMAT_VERSION:
        raise WorkspaceError(
            f"{file}：工作区格式 {config.planwatch_workspace} 比本程序新，请升级 planwatch "
            "(workspace is newer than this planwatch)"
        )
    return config


def _engine_arguments(path: Path, config: WorkspaceConfig) -> tuple[str, dict[str, Any]]:
    url, kwargs = engine_arguments(path, _database_url(path, config))
    return url, kwargs


def _move_password_out(path: Path, config: WorkspaceConfig) -> None:
    """A workspace.yaml written before passwords were kept out of it: the password goes to
    the workspace's .pgpass (0600) and workspace.yaml is rewritten without it."""
    if not config.database_url:
        return
    bare, password = split_password(config.database_url)
    if password is None:
        return
    write_pgpass(path, bare, password)
    config.database_url = bare
    _write_config(path, config)


def open_workspace(path: Path | str, *, actor: str = "planwatch") -> Workspace:
    """Open a workspace whose database is at this planwatch's schema; never writes the database.

    The one write is to the folder, and only once: a workspace.yaml from before passwords
    were kept out of it has its password moved to the workspace's .pgpass (0600), since
    leaving a secret readable is worse than a write on open. A database an older planwatch
    made is refused with the command that upgrades it
    (:func:`upgrade_workspace`, ``planwatch upgrade``): migrating is a deploy step someone
    decides on and can back up before, not a side effect of reading a report. ``actor``
    is kept for callers that pass it; opening records nothing.
    """
    path = Path(path)
    config = read_config(path)
    _move_password_out(path, config)
    engine = _engine(path, config)
    try:
        revision = database_revision(engine)
        # At the newest script's revision (the usual case) the scripts need not be read; any
        # other revision is judged from them: not planwatch's, newer, or older (upgrade first).
        if revision is None or revision != head_by_name():
            revision = _checked_revision(revision, mask_password(_database_url(path, config)))
            head = _head()
            if revision != head:
                raise WorkspaceOutdatedError(
                    f"工作区数据库版本 {revision} 早于本程序（{head}），请先运行 "
                    f"planwatch upgrade {path} 升级（建议先备份）"
                    "(the database was made by an older planwatch; run planwatch upgrade first)"
                )
    except BaseException:
        engine.dispose()
        raise
    return Workspace(path, config, engine, make_sessionmaker(engine))


class WorkspaceOutdatedError(WorkspaceError):
    """The database schema is older than this planwatch: run ``planwatch upgrade``."""

    code = "workspace.outdated"


@dataclass(frozen=True)
class SchemaUpgrade:
    """What :func:`upgrade_workspace` did: the schema revision before and after."""

    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def upgrade_workspace(path: Path | str, *, actor: str = "planwatch") -> SchemaUpgrade:
    """Bring a workspace's database to this planwatch's schema, audited; a no-op when current.

    The migrations run in one transaction (all or nothing); a database newer than this
    planwatch is refused untouched.
    """
    from planwatch.store.migrate import head_revision, upgrade_to_head

    path = Path(path)
    config = read_config(path)
    engine = _engine(path, config)
    try:
        revision = _checked_revision(database_revision(engine), mask_password(_database_url(path, config)))
        head = head_revision()
        if revision == head:
            return SchemaUpgrade(revision, head)
        upgrade_to_head(engine)
        with make_sessionmaker(engine)() as session, session.begin():
            session.add(
                AuditEvent(
                    actor=actor,
                    action="schema.upgrade",
                    entity="database",
                    entity_id=head,
                    detail={"from": revision, "to": head},
                )
            )
        return SchemaUpgrade(revision, head)
    finally:
        engine.dispose()


def _engine(path: Path, config: WorkspaceConfig) -> Engine:
    if config.database_url is None and not (path / SQLITE_FILE).is_file():
        raise WorkspaceError(f"工作区缺少数据库文件 database file missing: {path / SQLITE_FILE}")
    url, kwargs = _engine_arguments(path, config)
    return make_engine(url, **kwargs)


def _checked_revision(revision: str | None, url: str) -> str:
    """The database's schema revision (as read), refusing one without planwatch's schema or a newer one."""
    if revision is None:
        raise WorkspaceError(f"数据库未初始化 the database has no planwatch schema: {url}")
    if revision != _head() and not _is_known_revision(revision):
        raise WorkspaceError(f"数据库版本 {revision} 比本程序新，请升级 planwatch (database is newer)")
    return revision


def _head() -> str:
    """This planwatch's schema revision, from the migration scripts' text (no Alembic)."""
    head = shipped_head()
    if head is None:  # several heads: only Alembic can say what to do, and upgrade will
        from planwatch.store.migrate import head_revision

        return head_revision()
    return head


def _is_known_revision(revision: str) -> bool:
    return revision in shipped_revisions()
