"""The self-evaluation row rules, without a database: each rule at its edge."""

from __future__ import annotations

from typing import Any

import pytest

from planwatch.collect.selfeval.rules import TargetFacts, rating_problems, target_problems

FACTS = TargetFacts(domain="妇女与健康", number=3, monitoring="qualitative", leads=["区卫生健康局", "区妇联"],
                    plan_area="370103", plan_title="市中区妇女发展规划", period_start=2021, period_end=2025)
PLACE: dict[str, Any] = {"file": "a.xlsx", "sheet": "自评", "row": 5, "column": "B"}


def _codes(facts: TargetFacts | None, **given: Any) -> list[str]:
    args: dict[str, Any] = {"domain": "妇女与健康", "number": 3, "unit_name": "区卫生健康局",
                            "unit_area": "370103", "cycle": "midterm", "label": "妇女与健康 主要目标(3)",
                            "place": PLACE, **given}
    return [p.code for p in target_problems(facts, **args)]


def test_a_led_qualitative_target_in_its_period_passes() -> None:
    assert _codes(FACTS) == []
    assert _codes(FACTS, unit_name="区妇联", cycle="2025") == []


@pytest.mark.parametrize(("facts", "given", "code"), [
    (None, {}, "unknown-target"),
    (FACTS, {"number": 4}, "unknown-target"),  # the id now names another target
    (TargetFacts(**{**FACTS.__dict__, "monitoring": "quantitative"}), {}, "target-not-qualitative"),
    (FACTS, {"unit_name": "区教育体育局"}, "target-not-led"),
    (FACTS, {"unit_area": "370102"}, "target-not-led"),  # same name, another district
    (FACTS, {"cycle": "2026"}, "invalid-cycle"),
])  # fmt: skip
def test_each_target_rule(facts: TargetFacts | None, given: dict[str, Any], code: str) -> None:
    assert _codes(facts, **given) == [code]


def test_a_problem_points_at_the_row() -> None:
    [p] = target_problems(FACTS, domain="妇女与健康", number=3, unit_name="区教育体育局", unit_area="370103",
                          cycle="midterm", label="妇女与健康 主要目标(3)", place=PLACE)
    assert (p.file, p.sheet, p.row, p.column) == ("a.xlsx", "自评", 5, "B")
    assert "区卫生健康局、区妇联" in p.message


@pytest.mark.parametrize(("rating", "evidence", "codes"), [
    ("完成", "已印发实施方案", []),
    ("基本完成", "x", []),
    (None, None, ["not-evaluated"]),
    (None, "写了依据", ["missing-rating"]),
    ("已完成", "x", ["invalid-rating"]),
    ("完成", None, ["missing-evidence"]),  # evidence is required for 完成 too
])  # fmt: skip
def test_rating_rules(rating: str | None, evidence: str | None, codes: list[str]) -> None:
    found = rating_problems(rating, evidence, label="t", at_rating=PLACE, at_evidence=PLACE)
    assert [p.code for p in found] == codes
