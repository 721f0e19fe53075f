"""Flattened responsibility tables (目标责任分解书): one cell a line, 领域 column often lost."""

from __future__ import annotations

from planwatch.plan.duty_tables import rewrite_duty_tables
from planwatch.plan.reader import read_text

TABLE = """《某省儿童发展规划(2011—2020年)》目标责任分解书
领域

主要目标

主要责任单位

责任单位

1.降低儿童死亡率。

——婴儿死亡率控制在6‰以下。

省卫生厅

省财政厅

——18岁以下儿童伤害死亡率以2010年为基数下降1/6。

省卫生厅

省公安厅

省财政厅

2.提高儿童健康水平。

省卫生厅

1.儿童平等接受学前教育。

省教育厅

省妇联
"""


def _targets(text: str) -> list[tuple[str, int, list[str], list[str]]]:
    catalogue = read_text(text)
    return [
        (d.name, t.number, t.lead_units, t.responsible_units)
        for p in catalogue.plans
        for d in p.domains
        for t in d.targets
    ]


def test_units_of_a_target_are_gathered_across_its_unit_blocks() -> None:
    assert _targets(TABLE) == [
        ("儿童与健康", 1, ["省卫生厅"], ["省财政厅", "省公安厅"]),
        ("儿童与健康", 2, ["省卫生厅"], []),
        ("儿童与教育", 1, ["省教育厅"], ["省妇联"]),
    ]


def test_the_guesses_are_stated_as_warnings() -> None:
    messages = [w.message for w in read_text(TABLE).warnings]
    assert any("领域顺序推定" in m for m in messages)
    assert any("第一个单位记为主要责任单位" in m for m in messages)


def test_sub_targets_keep_their_quantities() -> None:
    plan = read_text(TABLE).plans[0]
    first = plan.domains[0].targets[0]
    assert [(i.comparator, i.value, i.unit) for i in first.indicators] == [("<=", 6.0, "‰"), ("<=", -16.67, "%")]


def test_printed_domain_cells_are_used_and_not_guessed() -> None:
    text = TABLE.replace("1.降低儿童死亡率。", "儿童与卫生\n\n1.降低儿童死亡率。")
    text = text.replace("1.儿童平等接受学前教育。", "儿童与学校领域\n\n1.儿童平等接受学前教育。")
    assert [t[0] for t in _targets(text)] == ["儿童与卫生", "儿童与卫生", "儿童与学校"]
    assert not any("领域顺序推定" in w.message for w in read_text(text).warnings)


def test_without_a_known_cycle_no_domain_is_invented() -> None:
    text = TABLE.replace("《某省儿童发展规划(2011—2020年)》目标责任分解书", "目标责任分解书")
    # The text falls back to the reader of other plans (总体要求); no 儿童与… name is made up.
    assert not any(name.startswith(("儿童", "妇女")) for name, *_ in _targets(text))
    assert any("无法从规划名称和周期推定" in w.message for w in read_text(text).warnings)


def test_lines_keep_their_places_and_other_text_is_untouched() -> None:
    lines = TABLE.splitlines()
    out, notes = rewrite_duty_tables(lines)
    assert len(out) == len(lines)
    assert out[0] == lines[0]
    assert notes and all(index == 1 for index, _ in notes)
    plain = ["主要目标", "1.孕产妇死亡率控制在10/10万以下。", "省卫生厅"]
    assert rewrite_duty_tables(plain) == (plain, [])
