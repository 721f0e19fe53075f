"""One vocabulary: the sets the layers share are the vocabulary's, not copies of it."""

from __future__ import annotations

from typing import get_args

from sqlalchemy import CheckConstraint

from planwatch import vocabulary as v
from planwatch.assess import frames, status
from planwatch.collect import breakdowns
from planwatch.plan import model, semantics
from planwatch.report import kinds
from planwatch.store import models as db


def test_tuples_are_the_literals_arguments() -> None:
    assert v.COMPARATORS == get_args(model.Comparator) == ("<=", "<", ">=", ">", "=", "~", "maintain")
    assert v.SUBJECTS == get_args(model.Subject) == ("women", "children", "other")
    assert v.RATINGS == ("完成", "基本完成", "未完成")
    assert v.RELATIVE_KINDS == semantics.RELATIVE_KINDS == get_args(model.RelativeKind)
    assert get_args(semantics.Better) == v.BETTER
    assert v.STATUSES == status.STATUSES and v.STATUSES[0] == status.ACHIEVED == "已实现"
    assert set(v.COMPARATOR_SIGNS) == set(v.COMPARATORS)
    assert set(v.DIRECTION_WORDS) == set(v.DIRECTIONS)
    assert set(v.METHOD_LABELS) == set(v.METHODS)
    assert set(v.TIMELINESS_LABELS) == set(v.TIMELINESS)
    assert set(v.STATE_LABELS) == set(v.SUBMISSION_STATES)
    assert set(v.MONITORING_LABELS) == set(v.MONITORING_MODES)


def test_each_command_format_is_one_of_the_output_formats() -> None:
    for subset in (v.DataFormat, v.AssessFormat, v.CatalogueFormat):
        assert set(get_args(subset)) <= set(v.OUTPUT_FORMATS)


def test_the_layers_use_the_vocabulary_objects() -> None:
    assert breakdowns.TOTAL is v.TOTAL and breakdowns.label is v.breakdown_label
    assert kinds.KINDS is v.REPORT_KINDS
    assert frames.LATE_SCHEMA is not None and "due" in frames.LATE_SCHEMA


def test_database_constraints_list_exactly_the_vocabulary() -> None:
    """A CHECK constraint written from another copy of a set would drift silently."""
    expected = {
        ("plan", "subject"): v.SUBJECTS,
        ("target_value", "comparator"): v.COMPARATORS,
        ("target_value", "relative"): v.RELATIVE_KINDS,
        ("indicator", "better"): v.BETTER,
        ("submission", "state"): v.SUBMISSION_STATES,
        ("self_evaluation", "rating"): v.RATINGS,
        ("area", "level"): v.AREA_LEVELS,
    }
    for (table, name), values in expected.items():
        [check] = [c for c in db.Base.metadata.tables[table].constraints
                   if isinstance(c, CheckConstraint) and c.name is not None and str(c.name).endswith(name)]
        text = str(check.sqltext)
        assert all(f"'{value}'" in text for value in values), (table, name)
