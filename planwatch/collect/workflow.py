"""The life of a submission: draft → submitted → reviewed (统计局) → approved (妇儿工委办公室).

A reviewer may return a submitted or reviewed submission with a comment; the unit then
submits it again or imports a corrected revision. Approved data is locked: imports for that
unit and year are refused, and the one transition that leaves ``approved`` is ``unlock`` —
the office's own, logged action, with a required reason. It lands in ``returned`` (the
reason as its comment), so an unlocked year is corrected and re-submitted by exactly the
rules that already hold for a returned one, and no new state has to be known anywhere
else. Only the latest revision of a unit's year can move; older revisions stay as they
were, readable. Every transition writes an :class:`AuditEvent` (who, when, what) in the
same transaction. Transitions and imports take the unit's lock first (:mod:`.locks`), so
whichever commits first is seen by the other: an import that raced an approval is refused
once it commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect.history import LATEST_REVISION
from planwatch.collect.locks import lock_unit_of_submission
from planwatch.errors import PlanwatchError
from planwatch.store.models import AuditEvent, Submission, Unit, utcnow
from planwatch.vocabulary import STATE_LABELS as STATE_LABELS


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("submit", "报送", frozenset({"draft", "returned"}), "submitted"),
        Transition("review", "审核（统计局）", frozenset({"submitted"}), "reviewed"),
        Transition("approve", "审定（妇儿工委办公室）", frozenset({"reviewed"}), "approved"),
        Transition("return", "退回", frozenset({"submitted", "reviewed"}), "returned"),
        Transition("unlock", "解锁（妇儿工委办公室）", frozenset({"approved"}), "returned"),
    ]
}


class WorkflowError(PlanwatchError):
    """A transition that is not allowed; the message says why, in Chinese."""

    code = "collect.workflow"


def _load_for_update(session: Session, submission_id: int) -> Submission:
    """The submission as committed now, with its unit's lock held (see :mod:`.locks`).

    The unit's lock comes first — the order imports take it in — so a transition waits for an
    import or approval in progress and then reads what it committed; ``populate_existing``
    makes sure a copy the session already held is not trusted instead.
    """
    lock_unit_of_submission(session.connection(), submission_id)
    q = select(Submission).where(Submission.id == submission_id).execution_options(
        populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    sub = session.scalars(q).first()
    if sub is None:
        raise WorkflowError(f"没有编号为 {submission_id} 的填报 no such submission")
    return sub


def _latest_revision(session: Session, sub: Submission) -> int:
    """The highest revision of the submission's unit and year (a statement built once, run
    on the session's connection: the ORM would add nothing to one number)."""
    latest = session.connection().execute(LATEST_REVISION, {
        "area_code": sub.area_code, "unit_id": sub.unit_id, "year": sub.year,
    }).first()
    return latest.revision if latest is not None else sub.revision


def transition(
    session: Session,
    submission_id: int,
    action: str,
    actor: str,
    *,
    comment: str | None = None,
    at: dt.datetime | None = None,
) -> Submission:
    """Move a submission along the workflow inside the caller's transaction."""
    if action not in TRANSITIONS:
        raise WorkflowError(f"未知操作“{action}” unknown action")
    t = TRANSITIONS[action]
    when = at or utcnow()
    sub = _load_for_update(session, submission_id)
    unit = session.get(Unit, sub.unit_id)
    who = f"{unit.name if unit else sub.unit_id} {sub.year} 年第 {sub.revision} 版"
    if sub.state == "approved" and action != "unlock":
        raise WorkflowError(f"{who}已审定，数据已锁定，不能再{t.label} approved data is locked")
    latest = _latest_revision(session, sub)
    if latest != sub.revision:
        raise WorkflowError(
            f"{who}已被第 {latest} 版取代，只能处理最新版本 superseded by revision {latest}"
        )
    if sub.state not in t.sources:
        allowed = "、".join(sorted(STATE_LABELS[s] for s in t.sources))
        raise WorkflowError(
            f"{who}当前状态为“{STATE_LABELS[sub.state]}”，只有“{allowed}”的填报才能{t.label}"
        )
    if action == "return" and not (comment and comment.strip()):
        raise WorkflowError("退回时必须填写意见 a comment is required when returning")
    if action == "unlock" and not (comment and comment.strip()):
        raise WorkflowError(f"解锁{who}时必须填写原因 a reason is required when unlocking")
    before = sub.state
    detail: dict[str, object] = {}
    if action == "unlock":
        # The approval the unlock undoes, kept in the audit row: the submission itself no
        # longer claims an approval that does not hold.
        detail["approved_by"] = sub.approved_by
        detail["approved_at"] = sub.approved_at.isoformat() if sub.approved_at else None
        sub.approved_by, sub.approved_at = None, None
    sub.state = t.target
    if action == "submit":
        sub.submitted_at = when
    elif action == "review":
        sub.reviewed_by, sub.reviewed_at = actor, when
    elif action == "approve":
        sub.approved_by, sub.approved_at = actor, when
    if comment:
        sub.comment = comment.strip()
    session.add(AuditEvent(
        at=when, actor=actor, action=f"submission.{action}", entity="submission",
        entity_id=str(sub.id),
        detail={"from": before, "to": sub.state, "comment": comment.strip() if comment else comment,
                "unit": who, **detail},
    ))
    session.flush()
    return sub


def submit(session: Session, submission_id: int, actor: str, *,
           comment: str | None = None, at: dt.datetime | None = None) -> Submission:
    return transition(session, submission_id, "submit", actor, comment=comment, at=at)


def review(session: Session, submission_id: int, actor: str, *,
           comment: str | None = None, at: dt.datetime | None = None) -> Submission:
    return transition(session, submission_id, "review", actor, comment=comment, at=at)


def approve(session: Session, submission_id: int, actor: str, *,
            comment: str | None = None, at: dt.datetime | None = None) -> Submission:
    return transition(session, submission_id, "approve", actor, comment=comment, at=at)


def return_submission(session: Session, submission_id: int, actor: str, comment: str, *,
                      at: dt.datetime | None = None) -> Submission:
    return transition(session, submission_id, "return", actor, comment=comment, at=at)


def unlock(session: Session, submission_id: int, actor: str, reason: str, *,
           at: dt.datetime | None = None) -> Submission:
    """Open approved figures again for correction (approved → returned, the reason as comment)."""
    return transition(session, submission_id, "unlock", actor, comment=reason, at=at)


@dataclass(frozen=True)
class Unlocked:
    """The unlock a returned submission is in (who, when, why), for the pages that say so."""

    actor: str
    at: dt.datetime
    reason: str


def unlocked(session: Session, submission_id: int) -> Unlocked | None:
    """The unlock that put the submission in its state, if its latest workflow move was one."""
    last = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "submission", AuditEvent.entity_id == str(submission_id),
               AuditEvent.action.like("submission.%"))
        .order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    if last is None or last.action != "submission.unlock":
        return None
    return Unlocked(last.actor, last.at, str((last.detail or {}).get("comment") or ""))
