"""The REST API's response and request bodies, so that its OpenAPI document is a real contract.

Each model mirrors the ``to_dict()`` of the library result it carries (the shape the command
line prints with ``--format json``); the handlers return those dictionaries and FastAPI
checks them against these models on the way out, so a drift between the two is a failing
test, not a silent change for the systems that call the API.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from planwatch.vocabulary import SubmissionState as State


class Error(BaseModel):
    """Every refusal: a stable code, the Chinese message, and where (when there is a place)."""

    code: str
    message: str
    place: str | None = None


class ProblemOut(BaseModel):
    """One validation problem, as the form and the Excel import report it."""

    code: str = Field(description="稳定的问题编号，如 rate-out-of-range")
    label: str = Field(description="问题类别的中文名称")
    severity: Literal["error", "warning"]
    message: str
    place: str = Field(description="请求体中的位置，如 figures[2].value")
    indicator: str | None = None
    breakdown: str | None = None


class Refused(Error):
    """Posted figures that did not pass validation: nothing was stored. A request that could not
    be read at all (not JSON, a field of the wrong type) is refused the same way, without problems."""

    problems: list[ProblemOut] = Field(default_factory=list)


class AreaOut(BaseModel):
    code: str
    name: str
    full_name: str
    level: str
    parent_code: str | None


class UnitOut(BaseModel):
    id: int
    area_code: str
    area_name: str
    name: str
    aliases: list[str]
    targets: int
    indicators: int
    retired_from: int | None = None
    """The first data year a retired (停用) unit no longer reports; null while it is in use."""
    successor: str | None = None
    """The unit that took a retired unit's work over."""


class PlanPeriod(BaseModel):
    start: int
    end: int


class PlanOut(BaseModel):
    id: int
    area_code: str
    title: str
    issuer: str | None
    doc_number: str | None
    date: str | None
    subject: str
    period: PlanPeriod


class TargetOut(BaseModel):
    """A 主要目标 and how it is monitored (the catalogue YAML's ``targets`` entry)."""

    area: str
    plan: str
    ref: str
    text: str
    kind: str
    monitoring: str


class IndicatorTargetOut(BaseModel):
    area: str
    area_name: str | None
    ref: str
    comparator: str | None
    value: float | None
    direction: str | None
    unit: str | None
    year: int
    baseline_year: int
    baseline: float | None
    relative: str | None
    base_year: int | None
    raw: str


class Limits(BaseModel):
    lower: float | None
    upper: float | None


class IndicatorOut(BaseModel):
    """An indicator as ``planwatch catalogue export`` writes it (targets and reporters of the token's area)."""

    code: str
    name: str
    subject: str
    unit: str | None
    better: str
    is_rate: bool
    rate_base: float | None
    limits: Limits | None = None
    definition: str | None
    breakdowns: list[Any] | None = None
    reporters: dict[str, list[str]]
    targets: list[IndicatorTargetOut]
    same_as: str | None


class ObservationOut(BaseModel):
    id: int
    submission_id: int
    revision: int
    state: State
    state_label: str
    area_code: str
    reporting_unit_id: int
    reporting_unit: str
    year: int
    indicator: str
    name: str
    unit: str | None = Field(description="计量单位")
    breakdown: str
    breakdown_label: str
    value: float
    numerator: float | None
    denominator: float | None
    flags: list[str]
    changed_at: str = Field(description="该填报最近一次变化（导入、报送、审核、审定、退回）的时间")


class ObservationPage(BaseModel):
    items: list[ObservationOut]
    next_cursor: str | None = Field(description="下一页的 cursor；null 表示已是最后一页")
    as_of: str = Field(description="服务器时间；下次增量拉取可作为 updated_since")


class SubmissionOut(BaseModel):
    id: int
    area_code: str
    unit: str
    year: int
    revision: int
    state: State
    created_by: str
    created_at: str
    submitted_at: str | None
    source_file: str | None
    supersedes_id: int | None
    comment: str | None
    latest: bool


class SubmissionList(BaseModel):
    items: list[SubmissionOut]


class StoredProblemOut(BaseModel):
    code: str
    severity: str
    message: str
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None


class SubmissionFigure(BaseModel):
    indicator: str
    name: str
    unit: str | None
    breakdown: str
    breakdown_label: str
    value: float
    numerator: float | None
    denominator: float | None
    flags: list[Any]


class SubmissionDocumentOut(BaseModel):
    id: int
    filename: str
    media_type: str | None
    characters: int
    created_by: str
    created_at: str


class SubmissionEvent(BaseModel):
    at: str
    actor: str
    action: str
    submission_id: int
    detail: dict[str, Any] | None


class SubmissionDetailOut(BaseModel):
    """``planwatch submission show --format json``."""

    submission: SubmissionOut
    observations: list[SubmissionFigure]
    problems: list[StoredProblemOut]
    documents: list[SubmissionDocumentOut]
    revisions: list[SubmissionOut]
    events: list[SubmissionEvent]


Number = float | str


class FigureIn(BaseModel):
    """One figure of a unit's year; numbers may be given as JSON numbers or as text (“1,234”)."""

    model_config = ConfigDict(extra="forbid")

    indicator: str = Field(min_length=1, max_length=20, description="指标代码")
    breakdown: str = Field("total", max_length=100, description="分组，如 total、sex=female")
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    note: str = Field("", max_length=2000, description="说明（有警告时报送前必填）")


class FiguresIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    unit_id: int | None = Field(None, description="单位编号；按单位的令牌可省略")
    figures: list[FigureIn] = Field(max_length=5000)


class Saved(BaseModel):
    """Figures stored as a new draft revision (the importer's own store)."""

    submission_id: int
    revision: int
    state: State
    observations: int
    problems: list[ProblemOut] = Field(description="保留的警告（报送前须在 note 中说明）")


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str | None = Field(None, max_length=2000, description="意见；退回时必填")


class TransitionedOut(BaseModel):
    """``planwatch submission approve … --format json``."""

    submission_id: int
    action: str
    state: State
    state_label: str


class Threshold(BaseModel):
    name: str
    value: Any
    why: str


class AssessmentOut(BaseModel):
    """``planwatch assess --format json`` for the token's area: rows are the engine's columns."""

    year: int
    method: str
    method_label: str
    thresholds: list[Threshold]
    results: list[dict[str, Any]]
    summaries: dict[str, list[dict[str, Any]]]
    warnings: list[dict[str, Any]]
    comparison: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    rollups: dict[str, dict[str, list[dict[str, Any]]]]
    areas: dict[str, str]


class WarningsOut(BaseModel):
    year: int
    method: str
    warnings: list[dict[str, Any]]


JobKind = Literal["annual", "midterm", "final", "warnings", "compendium"]
JobState = Literal["queued", "running", "done", "failed"]


class ReportJobOut(BaseModel):
    """A report job as its web page shows it: state, progress, the Chinese error, the files written."""

    id: int
    kind: JobKind
    kind_label: str
    area_code: str
    year: int
    formats: list[str]
    state: JobState = Field(description="queued 排队中、running 生成中、done 已完成、failed 失败")
    state_label: str
    done_count: int = Field(description="已写完的报告份数")
    total_count: int = Field(description="应写的报告份数（开始生成后才知道，之前为 0）")
    error: str | None = Field(description="失败原因（中文）")
    files: list[str] = Field(description="已写出的文件名；已完成后可由 /report-jobs/{id}/files/{name} 下载")
    requested_by: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    report_date: str | None = Field(description="落款日期（YYYY-MM-DD）；null 表示文档落款为生成当天")


class ReportJobPage(BaseModel):
    items: list[ReportJobOut] = Field(description="最新的在前")
    next_cursor: str | None = Field(description="下一页的 cursor；null 表示已是最后一页")


class ReportJobIn(BaseModel):
    """A request for reports of the token's area. Checked by the web page's own rules (the
    field types are kept loose here so that a refusal is the page's Chinese message)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(max_length=20, description="annual 年度监测报告、midterm 中期评估报告、final 终期评估报告、"
                                                 "warnings 预警清单、compendium 统计资料")
    year: int = Field(description="年度（2000—2100）")
    formats: list[Annotated[str, Field(max_length=20)]] = Field(
        max_length=10, description="文件格式：annual 可为 docx、pdf、html；midterm、final、warnings 可为 docx、pdf；"
                                   "compendium 为 xlsx")
    report_date: str | None = Field(default=None, max_length=20,
                                    description="落款日期 YYYY-MM-DD（如 2025-03-01）；省略则落款为生成当天")
