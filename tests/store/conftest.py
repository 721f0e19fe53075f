"""Hand-built catalogues for the store tests, independent of the plan reader."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from migrated_db import PreparedDatabases
from sqlalchemy.orm import Session

from planwatch.plan.model import (
    Catalogue,
    Direction,
    Domain,
    Indicator,
    Measure,
    Period,
    Plan,
    Target,
)
from planwatch.store.catalogue_loader import load_catalogue


def make_plan(region: str, subject: str = "women", mmr: float = 8.0) -> Plan:
    """A two-domain plan shaped like the seeds, with spelling variants of the same units."""
    prefix = "儿童" if subject == "children" else "妇女"
    return Plan(
        title=f"{region}“十四五”{prefix}发展规划",
        issuer=f"{region}人民政府",
        region=region,
        subject=subject,  # type: ignore[arg-type]
        period=Period(start=2021, end=2025),
        domains=[
            Domain(
                name=f"{prefix}与健康",
                targets=[
                    Target(
                        number=1,
                        text="人均预期寿命延长。",
                        lead_units=["区卫生健康局"],
                        responsible_units=["区医保局"],
                        directions=[Direction(name="人均预期寿命", direction="increase", raw="延长")],
                    ),
                    Target(
                        number=2,
                        text=f"孕产妇死亡率控制在{mmr:g}/10万以下。",
                        lead_units=["区卫健局"],
                        responsible_units=["公安市中分局", "区公安分局"],
                        indicators=[
                            Indicator(
                                name="孕产妇死亡率",
                                comparator="<=",
                                value=mmr,
                                unit="/10万",
                                raw=f"控制在{mmr:g}/10万以下",
                            )
                        ],
                    ),
                    Target(
                        number=3,
                        text="妇女常见病筛查率达到85%以上。",
                        lead_units=["区卫生健康局"],
                        responsible_units=["区总工会", "区妇联等区妇儿工委有关成员单位"],
                        indicators=[
                            Indicator(
                                name="妇女常见病筛查率",
                                comparator=">=",
                                value=85,
                                unit="%",
                                raw="达到85%以上",
                            )
                        ],
                    ),
                ],
                measures=[
                    Measure(
                        number=1,
                        title="保障孕产妇安全分娩",
                        text="保障孕产妇安全分娩。孕产妇系统管理率达到92%以上。",
                        indicators=[
                            Indicator(
                                name="孕产妇系统管理率",
                                comparator=">=",
                                value=92,
                                unit="%",
                                raw="达到92%以上",
                            )
                        ],
                    )
                ],
            ),
            Domain(
                name=f"{prefix}与教育",
                targets=[
                    Target(
                        number=1,
                        text="男女平等理念深入人心。",
                        lead_units=["区教体局"],
                        responsible_units=["区发展改革委", "区发改局"],
                    )
                ],
            ),
        ],
    )


@pytest.fixture
def two_area_catalogue() -> Catalogue:
    """Women's plans of 济南市市中区 and 枣庄市山亭区: same indicators, different values."""
    return Catalogue(plans=[make_plan("济南市市中区"), make_plan("枣庄市山亭区", mmr=10)])


@pytest.fixture
def loaded(db_url: str, prepared_databases: PreparedDatabases, two_area_catalogue: Catalogue) -> Iterator[Session]:
    """The two plans loaded (``load_catalogue(session, two_area_catalogue, actor="loader")``, committed)."""
    with prepared_databases.session(
        db_url, f"loaded {two_area_catalogue.model_dump_json()}",
        lambda s: load_catalogue(s, two_area_catalogue, actor="loader"),
    ) as session:
        yield session
