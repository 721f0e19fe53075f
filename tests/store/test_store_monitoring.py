"""What is monitored is a choice: monitoring modes, fragments at load, documents of subject
``other``, the mode in the catalogue YAML (issue 9, part 5)."""

from __future__ import annotations

from pathlib import Path

import fast_yaml
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.plan.model import Catalogue, Direction, Domain, Indicator, Period, Plan, Target
from planwatch.store import models as db
from planwatch.store.catalogue_export import export_catalogue
from planwatch.store.catalogue_import import CatalogueYamlError, import_catalogue
from planwatch.store.catalogue_loader import load_catalogue
from planwatch.store.db import make_engine
from planwatch.store.migrate import downgrade_to, upgrade_to_head
from planwatch.store.monitoring import uncollected_indicator_ids
from planwatch.store.workspace import WorkspaceError, init_workspace

PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"
SHANTING = PLANS / "shanting-gazette-2022-1.md"
OTHER_TITLES = [
    "山亭区产业扶持办法（试行）",
    "山亭区招商引资项目全生命周期服务实施方案",
    "关于加快山亭区金融业高质量发展的意见",
    "2022年山亭区政务公开工作要点",
]


def _plan(subject: str = "women", title: str | None = None) -> Plan:
    return Plan(
        title=title or "济南市市中区“十四五”妇女发展规划",
        region="济南市市中区",
        subject=subject,  # type: ignore[arg-type]
        period=Period(start=2021, end=2025),
        domains=[
            Domain(
                name="妇女与健康",
                targets=[
                    Target(
                        number=1, text="孕产妇死亡率控制在8/10万以下，城乡、区域差距缩小。",
                        lead_units=["区卫生健康局"],
                        indicators=[Indicator(name="孕产妇死亡率", comparator="<=", value=8, unit="/10万",
                                              raw="孕产妇死亡率控制在8/10万以下")],
                        directions=[Direction(name="孕产妇死亡率城乡差距", direction="decrease",
                                              raw="城乡、区域差距缩小")],
                    ),
                    Target(
                        number=2, text="一半以上的领导班子配备女干部，其中担任正职的一般不少于3人。",
                        lead_units=["区委组织部"],
                        indicators=[
                            Indicator(name="领导班子配备女干部的比例", comparator=">=", value=50, unit="%",
                                      raw="一半以上的领导班子配备女干部"),
                            Indicator(name="担任正职", comparator=">=", value=3, unit="人",
                                      raw="其中担任正职的一般不少于3人"),
                        ],
                    ),
                    Target(
                        number=3, text="校外活动场所增加，提高利用率和服务质量。",
                        lead_units=["区教育体育局"],
                        directions=[Direction(name="利用率和服务质量", direction="increase",
                                              raw="提高利用率和服务质量")],
                    ),
                    Target(number=4, text="建立健全妇女健康服务体系。", lead_units=["区卫生健康局"]),
                ],
            )
        ],
    )  # fmt: skip


def _load(session: Session, catalogue: Catalogue, **kw: bool) -> object:
    summary = load_catalogue(session, catalogue, actor="tester", **kw)
    session.commit()
    return summary


def test_fragments_are_not_indicators_and_modes_follow_what_was_found(session: Session) -> None:
    summary = _load(session, Catalogue(plans=[_plan()]))
    names = set(session.scalars(select(db.Indicator.name)))
    assert names == {"孕产妇死亡率", "孕产妇死亡率城乡差距", "领导班子配备女干部的比例"}
    targets = {t.number: (t.kind, t.monitoring) for t in session.scalars(select(db.Target))}
    assert targets == {
        1: ("quantitative", "quantitative"),
        2: ("quantitative", "quantitative"),
        3: ("qualitative", "qualitative"),  # only a fragment: rated by its lead unit
        4: ("qualitative", "qualitative"),
    }
    warnings = [w for w in summary.warnings if "句子片段" in w]  # type: ignore[attr-defined]
    assert len(warnings) == 2 and "“担任正职”（原文“其中担任正职的一般不少于3人”）" in warnings[0]


def test_derived_gap_takes_the_base_unit_and_is_not_asked_of_units(session: Session) -> None:
    _load(session, Catalogue(plans=[_plan()]))
    gap = session.scalars(select(db.Indicator).where(db.Indicator.name == "孕产妇死亡率城乡差距")).one()
    assert (gap.unit, gap.better, gap.is_rate) == ("/10万", "lower", False)
    assert gap.definition is not None and "城镇与农村孕产妇死亡率之差的绝对值" in gap.definition
    assert gap.reporters == []
    assert gap.id in uncollected_indicator_ids(session, "370103")
    mmr = session.scalars(select(db.Indicator).where(db.Indicator.name == "孕产妇死亡率")).one()
    assert mmr.id not in uncollected_indicator_ids(session, "370103")
    target = session.scalars(select(db.Target).where(db.Target.number == 1)).one()
    target.monitoring = "excluded"
    session.flush()
    assert mmr.id in uncollected_indicator_ids(session, "370103")


def test_other_documents_are_skipped_unless_included(session: Session) -> None:
    other = _plan("other", "关于加快市中区金融业高质量发展的意见")
    summary = _load(session, Catalogue(plans=[_plan(), other]))
    assert summary.skipped_other == ["关于加快市中区金融业高质量发展的意见"]  # type: ignore[attr-defined]
    assert summary.plans == 1  # type: ignore[attr-defined]
    summary = _load(session, Catalogue(plans=[other]), include_other=True)
    assert summary.skipped_other == [] and summary.plans == 1  # type: ignore[attr-defined]
    assert sorted(session.scalars(select(db.Plan.subject))) == ["other", "women"]


def test_monitoring_check_constraint(session: Session) -> None:
    _load(session, Catalogue(plans=[_plan()]))
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE target SET monitoring = 'sometimes'"))
        session.flush()
    session.rollback()


def test_migration_backfills_existing_targets(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade_to_head(engine)
        with Session(engine) as s:
            _load(s, Catalogue(plans=[_plan()]))
        downgrade_to(engine, "0001")
        upgrade_to_head(engine)
        with Session(engine) as s:
            modes = dict(s.execute(select(db.Target.number, db.Target.monitoring)).all())
        assert modes == {1: "quantitative", 2: "quantitative", 3: "qualitative", 4: "qualitative"}
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- catalogue YAML


def _yaml_with(session: Session, number: int, **fields: object) -> str:
    data = fast_yaml.safe_load(export_catalogue(session))
    for entry in data["targets"]:
        if entry["ref"] == f"D1/T{number}":
            entry.update(fields)
    return fast_yaml.safe_dump(data, allow_unicode=True)


def test_yaml_shows_and_edits_the_monitoring_mode(session: Session) -> None:
    _load(session, Catalogue(plans=[_plan()]))
    data = fast_yaml.safe_load(export_catalogue(session))
    shown = {e["ref"]: (e["kind"], e["monitoring"]) for e in data["targets"]}
    assert shown == {"D1/T1": ("quantitative", "量化监测"), "D1/T2": ("quantitative", "量化监测"),
                     "D1/T3": ("qualitative", "定性评价"), "D1/T4": ("qualitative", "定性评价")}  # fmt: skip
    changes = import_catalogue(session, _yaml_with(session, 2, monitoring="不纳入监测"), actor="统计局")
    assert [(c.path, c.old, c.new) for c in changes] == [("targets[1].monitoring", "量化监测", "不纳入监测")]
    changes = import_catalogue(session, _yaml_with(session, 4, monitoring="excluded"), actor="统计局")
    assert [c.new for c in changes] == ["不纳入监测"]
    session.commit()
    modes = dict(session.execute(select(db.Target.number, db.Target.monitoring)).all())
    assert modes[2] == "excluded" and modes[4] == "excluded"
    events = session.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "catalogue.import")).all()
    assert len(events) == 2


@pytest.mark.parametrize(
    ("number", "fields", "message"),
    [
        (3, {"monitoring": "量化监测"}, "targets[2].monitoring: 该目标没有数量或方向性指标，不能量化监测"),
        (1, {"monitoring": "监测"}, "targets[0].monitoring: 应为 量化监测 / 定性评价 / 不纳入监测 之一"),
        (1, {"kind": "qualitative"}, "targets[0].kind: 只读字段"),
        (1, {"text": ""}, "targets[0].text: 目标内容不能为空"),
        (1, {"responsible_units": "区卫生健康局"}, "targets[0].responsible_units: 应为单位名称列表"),
        (1, {"ref": "D9/T9"}, "targets[0]: 找不到该目标"),
    ],
)
def test_yaml_monitoring_errors_change_nothing(
    session: Session, number: int, fields: dict[str, object], message: str
) -> None:
    _load(session, Catalogue(plans=[_plan()]))
    before = dict(session.execute(select(db.Target.number, db.Target.monitoring)).all())
    with pytest.raises(CatalogueYamlError) as err:
        import_catalogue(session, _yaml_with(session, number, **fields), actor="x")
    assert message in str(err.value)
    session.rollback()
    assert dict(session.execute(select(db.Target.number, db.Target.monitoring)).all()) == before


# --------------------------------------------------------------------------- init


@pytest.mark.slow
def test_init_lists_the_skipped_gazette_documents(tmp_path: Path) -> None:
    out = CliRunner().invoke(app, ["init", str(tmp_path / "ws"), "--plan", str(SHANTING)])
    assert out.exit_code == 0, out.output
    text_out = " ".join(out.output.split())
    assert "以下 4 个文件不是妇女、儿童发展规划，不纳入监测" in text_out and "--include-other" in text_out
    for title in OTHER_TITLES:
        assert f"《{title}》" in text_out


@pytest.mark.slow
def test_init_include_other(tmp_path: Path) -> None:
    with init_workspace(tmp_path / "ws", [SHANTING], include_other=True) as ws, ws.session() as s:
        titles = set(s.scalars(select(db.Plan.title).where(db.Plan.subject == "other")))
    # 产业扶持办法 and 招商引资方案 have no plan period: still nothing to monitor against
    assert titles == set(OTHER_TITLES[2:])


def test_a_file_of_other_documents_only_needs_the_option(tmp_path: Path) -> None:
    doc = tmp_path / "finance.txt"
    doc.write_text(
        "关于加快山亭区金融业高质量发展的意见\n山政发〔2022〕3号\n\n一、目标任务\n"
        "（一）到2025年，全区社会融资规模达到150亿元。\n",
        encoding="utf-8",
    )
    with pytest.raises(WorkspaceError, match="--include-other"):
        init_workspace(tmp_path / "ws", [doc])
    assert not (tmp_path / "ws").exists()
