"""The corpus of real plan excerpts (tests/corpus), its gold files, and the scoring.

The development part must stay at the figures it reaches now; the held-back part is not
scored here (it is scored by `benchmarks/corpus_score.py --held-back` at the end of a round of
work), only checked to be well formed, so that day-to-day changes are not fitted to it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.plan.gold import GoldError, Score, load_gold, score
from planwatch.plan.quality import plan_quality
from planwatch.plan.reader import read_files, read_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOLDS = sorted((CORPUS / "gold").glob("*.yaml"))


def test_every_gold_file_loads_and_names_its_text_and_source() -> None:
    assert len(GOLDS) >= 10
    held_back = [g for g in map(load_gold, GOLDS) if g.held_back]
    assert held_back, "a part of the corpus must be kept back"
    for path in GOLDS:
        gold = load_gold(path)
        assert gold.text is not None and gold.text.is_file(), path
        assert str(gold.meta.get("source", "")).startswith("http"), path
        assert gold.meta.get("cycle") and gold.meta.get("level"), path
        assert sum(len(p.targets) for p in gold.plans) > 0, path


def test_development_part_scores() -> None:
    total = Score()
    for path in GOLDS:
        gold = load_gold(path)
        if gold.held_back:
            continue
        assert gold.text is not None
        total.add(score(read_files([gold.text]), gold))
    figures = total.figures()
    assert figures["targets"] is not None and figures["targets"] >= 0.95, total.misses
    assert total.extra_targets == 0, total.misses


FIXTURE = """某某区“十四五”妇女发展规划
一、发展领域、主要目标和策略措施
（一）妇女与健康
1.主要目标
（1）孕产妇死亡率控制在10/10万以下。（牵头单位：区卫生健康局；责任单位：区妇联）
（2）妇女常见病筛查率达到90%以上。（牵头单位：区卫生健康局）
（4）宫颈癌筛查率提高到70%。（牵头单位：区卫生健康局）
"""

GOLD = """text: plan.txt
plans:
  - subject: women
    targets:
      - domain: 妇女与健康
        number: 1
        text: 孕产妇死亡率
        lead: [区卫生健康局]
        responsible: [区妇联]
        indicators: [{comparator: "<=", value: 10, unit: "/10万"}]
      - domain: 妇女与健康
        number: 2
        text: 妇女常见病
        lead: [区卫生健康局]
        indicators: [{comparator: [">=", "="], value: 90, unit: "%"}]
      - {domain: 妇女与健康, number: 3, text: 妇女两癌}
"""


def test_score_counts_found_targets_units_and_quantities(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(FIXTURE, encoding="utf-8")
    (tmp_path / "gold.yaml").write_text(GOLD, encoding="utf-8")
    result = score(read_text(FIXTURE), load_gold(tmp_path / "gold.yaml"))
    assert (result.targets_found, result.targets) == (2, 3)
    assert (result.units_exact, result.units) == (2, 2)
    assert (result.indicators_right, result.indicators) == (2, 2)
    assert result.extra_targets == 1  # （4） is not in the gold
    assert result.misses == ["未找到目标 gold：妇女与健康（3）妇女两癌"]


def test_parse_check_prints_the_three_figures(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(FIXTURE, encoding="utf-8")
    (tmp_path / "gold.yaml").write_text(GOLD, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["parse", str(tmp_path / "plan.txt"), "--check", str(tmp_path / "gold.yaml")], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "66.7%" in result.output and "100.0%" in result.output
    assert "未找到目标" in result.output


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("targets: []", "缺少 plans"),
        ("plans:\n  - targets:\n      - {domain: 甲}", "plans[0].targets[0]"),
        ("plans:\n  - targets:\n      - {domain: 甲, number: 1, indicators: [{value: 1}]}", "indicators[0]"),
    ],
)
def test_bad_gold_file_names_the_place(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GoldError, match=r"bad\.yaml") as info:
        load_gold(path)
    assert where in str(info.value)
    result = CliRunner().invoke(app, ["parse", str(path), "--check", str(path)])
    assert result.exit_code == 2


def test_quality_summary_lists_gaps_missing_units_and_unread_values() -> None:
    (plan,) = read_text(FIXTURE + "（5）女性就业人员占比保持在45%。\n").plans
    quality = plan_quality(plan)
    (domain,) = quality.domains
    assert (domain.targets, domain.last_number, domain.gaps) == (4, 5, [3])
    assert quality.targets_without_units == ["妇女与健康（5）"]
    assert quality.quantities_not_understood == []
    assert any("缺 3" in note for note in quality.notes)


def test_quality_summary_reports_values_the_reader_did_not_read() -> None:
    text = (
        "某某市儿童发展规划（2021—2030年）\n（一）儿童与健康。\n主要目标：\n"
        "1.出生缺陷发生率到2025年降至72/万；到2030年降至70/万。\n"
    )
    (plan,) = read_text(text).plans
    quality = plan_quality(plan)
    unread = quality.quantities_not_understood
    read = [i.value for t in plan.domains[0].targets for i in t.indicators]
    # whatever the quantity reader makes of the second clause, the summary accounts for it
    assert (70.0 in read) != any("70/万" in u for u in unread)
    assert "全部主要目标未注明牵头/责任单位：请按任务分工表补充" in quality.notes
