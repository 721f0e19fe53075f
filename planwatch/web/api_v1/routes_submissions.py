"""Submissions: list and read them, post a unit's figures, move them through the workflow.

Posting figures is the online form's own path (:mod:`planwatch.web.form_data`): the figures
fill the unit's form for the year, the importer's checks run on it, and only a form without
errors is stored — as a new draft revision, through the importer's store and audit row. A
refusal answers 422 with every problem's id, Chinese message and place in the request body,
and nothing is stored. A post is the unit's whole year: a figure left out is left empty.

Transitions follow the pages: ``submit`` needs the ``submit`` scope and the checks the form
runs before 报送 (no error, a note for every warning); ``review``, ``approve`` and
``return`` need ``review`` and an area token. As on the office's page, ``approve`` of a
submitted revision takes the 统计局 review step first, in the same transaction.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch import api
from planwatch.collect import breakdowns as bd
from planwatch.collect import workflow
from planwatch.collect.problems import PROBLEM_LABELS, Problem, problem
from planwatch.limits import workspace_limits
from planwatch.results import Transitioned
from planwatch.store.models import Indicator, Submission, Unit
from planwatch.vocabulary import STATE_LABELS, SubmissionState
from planwatch.web.api_v1.auth import ApiNotFound, BadParameter, Caller, Conflict, caller, need, need_scope
from planwatch.web.api_v1.schemas import (
    FigureIn,
    FiguresIn,
    ProblemOut,
    Refused,
    Saved,
    SubmissionDetailOut,
    SubmissionList,
    TransitionedOut,
    TransitionIn,
)
from planwatch.web.audit import record
from planwatch.web.context import web
from planwatch.web.form_data import NOTE_COLUMN, NUMBER_FIELDS, Form, check, empty_form, fill, save_draft
from planwatch.web.permissions import Resource

router = APIRouter(tags=["submissions 填报与流程"])
Who = Annotated[Caller, Depends(caller)]
SubmissionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
SOURCE = "API"

FIELD_OF_COLUMN = {label: name for name, label in NUMBER_FIELDS.items()} | {NOTE_COLUMN: "note"}


def _submission(session: Session, submission_id: int) -> Submission:
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise ApiNotFound(f"没有编号为 {submission_id} 的填报")
    return sub


@router.get("/submissions", response_model=SubmissionList, summary="填报及其状态（每个单位每年的最新版本）")
def submissions(request: Request, who: Who,
                year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
                state: Annotated[SubmissionState | None, Query()] = None,
                all_revisions: bool = False) -> dict[str, Any]:
    need_scope(who, "read")
    ctx = web(request)
    with ctx.db() as session:
        ids = {name: uid for uid, name in session.execute(select(Unit.id, Unit.name)
                                                          .where(Unit.area_code == who.area_code))}
    rows = api.list_submissions(ctx.workspace, year=year, area=who.area_code, all_revisions=all_revisions)
    visible = [r for r in rows if (state is None or r.state == state) and r.unit in ids
               and _may_view(who, Resource(r.area_code, ids[r.unit], r.state))]
    return {"items": [r.to_dict() for r in visible]}


def _may_view(who: Caller, resource: Resource) -> bool:
    from planwatch.web.permissions import allowed

    return allowed(who.principal, "submission.view", resource)


@router.get("/submissions/{submission_id}", response_model=SubmissionDetailOut,
            summary="一份填报：数据、问题、附件、各版本与流程记录")
def submission(request: Request, who: Who, submission_id: SubmissionId) -> dict[str, Any]:
    need_scope(who, "read")
    ctx = web(request)
    with ctx.db() as session:
        sub = _submission(session, submission_id)
        need(who, "submission.view", Resource(sub.area_code, sub.unit_id, sub.state))
    return api.show_submission(ctx.workspace, submission_id).to_dict()


# --------------------------------------------------------------------------- posting figures


def _text(value: float | str | None) -> str:
    """A posted number as the form's text: JSON numbers exactly, text as typed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not math.isfinite(value):
        return str(value)  # refused by the number parser as not a number
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _problem_out(p: Problem, place: str, indicator: str | None = None, breakdown: str | None = None
                 ) -> dict[str, Any]:
    return {"code": p.code, "label": PROBLEM_LABELS.get(p.code, p.code), "severity": p.severity,
            "message": p.message, "place": place, "indicator": indicator, "breakdown": breakdown}


def _form_problems(form: Form, index_of: dict[str, int] | None) -> list[dict[str, Any]]:
    """Every problem of the checked form, placed in the request (``figures[2].value``) when the
    figures were posted now, else at the stored cell (``指标 A01 合计``)."""
    out = []
    for cell in form.cells:
        key = form.key(cell)
        for p in cell.problems:
            field = FIELD_OF_COLUMN.get(p.column or "")
            if index_of is None:
                place = f"指标 {cell.code} {bd.label(cell.breakdown)}"
            elif key in index_of:
                place = f"figures[{index_of[key]}]" + (f".{field}" if field else "")
            else:
                place = f"指标 {cell.code} {bd.label(cell.breakdown)}（未提交此项）"
            out.append(_problem_out(p, place, cell.code, cell.breakdown))
    out.extend(_problem_out(p, p.place or "figures") for p in form.general)
    return out


def _unknown_figure(session: Session, form: Form, i: int, f: FigureIn) -> dict[str, Any]:
    place = f"figures[{i}]"
    codes = {c.code for c in form.cells}
    if f.indicator in codes:
        p = problem("unknown-breakdown", indicator=f.indicator, breakdown=f.breakdown)
        return _problem_out(p, place + ".breakdown", f.indicator, f.breakdown)
    name = session.scalar(select(Indicator.name).where(Indicator.code == f.indicator))
    if name is None:
        p = problem("unknown-indicator", indicator=f.indicator)
    else:
        p = problem("indicator-not-assigned", indicator=f.indicator, name=name, unit=form.unit_name)
    return _problem_out(p, place + ".indicator", f.indicator, f.breakdown)


def _refused(message: str, problems: list[dict[str, Any]]) -> JSONResponse:
    body = Refused(code="collect.invalid", message=message, place=None,
                   problems=[ProblemOut.model_validate(p) for p in problems])
    return JSONResponse(body.model_dump(mode="json"), status_code=422)


@router.post("/submissions", response_model=Saved, status_code=201, summary="报送一个单位一年的数据（存为草稿新版本）",
             responses={422: {"model": Refused, "description": "未通过校验，未保存任何数据"}})
def post_figures(request: Request, who: Who, body: Annotated[FiguresIn, Body()]) -> Any:
    need_scope(who, "submit")
    unit_id = body.unit_id if body.unit_id is not None else who.unit_id
    if unit_id is None:
        raise BadParameter("请给出 unit_id")
    ctx = web(request)
    with ctx.db() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise ApiNotFound(f"没有编号为 {unit_id} 的单位")
        need(who, "form.fill", Resource(unit.area_code, unit.id))
        form = empty_form(session, unit, body.year)
        if not form.editable:
            assert form.latest is not None
            raise Conflict(f"{unit.name} {body.year} 年的填报当前状态为“{STATE_LABELS[form.latest.state]}”，不能修改")
        keys = {form.key(c): c for c in form.cells}
        values: dict[str, str] = {}
        notes: dict[str, str] = {}
        index_of: dict[str, int] = {}
        early: list[dict[str, Any]] = []
        for i, f in enumerate(body.figures):
            key = f"{f.indicator}|{f.breakdown}"
            if key not in keys:
                early.append(_unknown_figure(session, form, i, f))
                continue
            if key in index_of:
                p = problem("duplicate-row", indicator=f.indicator, breakdown=bd.label(f.breakdown),
                            first_row=index_of[key] + 1)
                early.append(_problem_out(p, f"figures[{i}]", f.indicator, f.breakdown))
                continue
            index_of[key] = i
            values[key] = _text(f.value)
            values[key + "|numerator"] = _text(f.numerator)
            values[key + "|denominator"] = _text(f.denominator)
            notes[key] = f.note
        fill(form, values, notes)
        checked = check(session, form, workspace_limits(ctx.workspace.config))
        problems = early + _form_problems(form, index_of)
        errors = sum(p["severity"] == "error" for p in problems)
        if errors:
            return _refused(f"有 {errors} 处错误，未保存任何数据", problems)
        now = ctx.now()
        sub_id = save_draft(session, form, who.principal.username, now)
        sub = _submission(session, sub_id)
        record(session, now, who.actor, "submission.save", resource="submission", resource_id=str(sub_id),
               area_code=unit.area_code, unit_id=unit.id,
               detail={"year": body.year, "warnings": len(checked.report.warnings), "source": SOURCE})
        return {"submission_id": sub_id, "revision": sub.revision, "state": sub.state,
                "observations": len(sub.observations), "problems": problems}


# --------------------------------------------------------------------------- workflow

Action = Literal["submit", "review", "approve", "return"]


@router.post("/submissions/{submission_id}/{action}", response_model=TransitionedOut,
             summary="流程操作：submit 报送、review 审核、approve 审定、return 退回",
             responses={422: {"model": Refused, "description": "报送前的校验未通过"}})
def transition(request: Request, who: Who, submission_id: SubmissionId, action: Action,
               body: Annotated[TransitionIn | None, Body()] = None) -> Any:
    comment = body.comment if body is not None else None
    ctx = web(request)
    with ctx.db() as session:
        sub = _submission(session, submission_id)
        resource = Resource(sub.area_code, sub.unit_id, sub.state)
        now, actor = ctx.now(), who.principal.username
        if action == "submit":
            need_scope(who, "submit")
            need(who, "form.submit", resource)
            refused = _check_before_submit(session, sub, ctx.workspace.config)
            if refused is not None:
                return refused
            moved = workflow.submit(session, sub.id, actor, comment=comment, at=now)
        else:
            need_scope(who, "review")
            need(who, "review.decide", resource)
            if action == "approve" and sub.state == "submitted":
                workflow.review(session, sub.id, actor, at=now)
            moved = workflow.transition(session, sub.id, action, actor, comment=comment, at=now)
        record(session, now, who.actor, f"submission.{action}", resource="submission", resource_id=str(sub.id),
               area_code=sub.area_code, unit_id=sub.unit_id,
               detail={"year": sub.year, "source": SOURCE, "comment": (comment or "").strip() or None})
        return Transitioned(sub.id, action, moved.state, STATE_LABELS[moved.state]).to_dict()


def _check_before_submit(session: Session, sub: Submission, config: Any) -> JSONResponse | None:
    """The form's own checks before 报送: the revision re-checked, and a note for every warning."""
    unit = session.get(Unit, sub.unit_id)
    assert unit is not None
    form = empty_form(session, unit, sub.year)
    if form.latest is None or form.latest.id != sub.id:
        return None  # an older revision: the workflow refuses it with its own message
    check(session, form, workspace_limits(config))
    if form.errors:
        return _refused(f"有 {form.errors} 处错误，不能报送", _form_problems(form, None))
    if form.unexplained:
        waiting = [p for p in _form_problems(form, None) if p["severity"] == "warning"
                   and any(c.needs_note and c.code == p["indicator"] and c.breakdown == p["breakdown"]
                           for c in form.cells)]
        return _refused(f"有 {form.unexplained} 处警告尚未填写说明（note），请补充说明后重新提交数据再报送", waiting)
    return None
