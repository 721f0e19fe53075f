"""SDMX out and back in: the demo's approved figures survive the trip unchanged, the file reads
with pysdmx's own reader, and a damaged file is refused at its row and column with nothing stored."""

from __future__ import annotations

import csv
import math
import sqlite3
from pathlib import Path

import pytest
from exchange_helpers import fresh_workspace, observations
from pysdmx.io import get_datasets, read_sdmx
from pysdmx.model import Codelist, DataStructureDefinition

import planwatch
from planwatch.demo import DemoSummary
from planwatch.exchange import structure as st


@pytest.fixture(scope="module")
def round_trip(exported: tuple[Path, Path], demo: DemoSummary, seed_workspaces: object,
               tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, planwatch.Imported]:
    fresh = fresh_workspace(tmp_path_factory.mktemp("sdmx-fresh") / "receiver", demo, seed_workspaces)
    result = planwatch.import_data(fresh, [exported[0]], actor="test")
    return fresh, result


def test_round_trip_of_the_demo_is_identical(round_trip: tuple[Path, planwatch.Imported], demo: DemoSummary) -> None:
    fresh, result = round_trip
    assert result.accepted, [f.to_dict()["errors"] for f in result.files if not f.accepted][:2]
    sent = observations(demo.path, approved_only=True)
    received = observations(fresh, approved_only=False)
    assert len(sent) > 900
    assert received == sent  # values, breakdowns, numerators, denominators, years, areas, units
    # the demo's catalogue has its own age groups (0-2, 3-6, 20-34 …): coded Y0T2 and decoded back
    assert {r[3] for r in sent} >= {"total", "sex=female", "residence=rural", "age_group=0-2", "age_group=20-34"}


def test_imported_figures_are_drafts_of_this_workspace(round_trip: tuple[Path, planwatch.Imported]) -> None:
    fresh, result = round_trip
    with sqlite3.connect(fresh / "planwatch.sqlite") as conn:
        states = {s for (s,) in conn.execute("SELECT DISTINCT state FROM submission")}
        sources = {s for (s,) in conn.execute("SELECT DISTINCT source_file FROM submission")}
    assert states == {"draft"}
    assert sources == {"demo.csv"}
    # one submission per unit, area and year of the file, as a workbook would give
    assert len(result.files) == len({(f.area_code, f.unit_name, f.year) for f in result.files})


def test_the_export_reads_with_pysdmx_and_its_structure(exported: tuple[Path, Path], demo: DemoSummary) -> None:
    data, dsd = exported
    datasets = get_datasets(data, dsd)
    assert len(datasets) == 1
    frame = datasets[0].data
    assert datasets[0].short_urn == f"DataStructure={st.STRUCTURE_ID}"
    sent = observations(demo.path, approved_only=True)
    valued = frame[frame["OBS_VALUE"].astype("float64").notna()]  # "NaN": a gap the unit explained
    assert len(valued) == len(sent)
    got = {(r["INDICATOR"], r["REF_AREA"], int(r["TIME_PERIOD"]), r["SEX"], r["AGE"], r["URBANISATION"]):
           float(r["OBS_VALUE"]) for r in valued.to_dict(orient="records")}
    for code, area, year, breakdown, value, *_ in sent:
        codes = st.breakdown_codes(breakdown)
        key = (code, area, year, codes["SEX"], codes["AGE"], codes["URBANISATION"])
        assert got[key] == value
    # the structure message holds the DSD and the codelists of the catalogue and the division codes
    message = read_sdmx(dsd)
    structures = {type(s).__name__ + ":" + s.id: s for s in message.structures or []}
    assert isinstance(structures["DataStructureDefinition:DSD_PLANWATCH"], DataStructureDefinition)
    areas = structures["Codelist:CL_AREA"]
    assert isinstance(areas, Codelist)
    assert {"370103", "370406", "370100"} <= {c.id for c in areas.items}
    ages = {c.id: c.name for c in structures["Codelist:CL_AGE"].items}  # type: ignore[attr-defined]
    assert ages["Y0T2"] == "0-2岁" and ages["Y_GE60"] == "60+岁" and ages["_T"] == "合计"


def test_structure_as_sdmx_json_reads_back(demo: DemoSummary, tmp_path: Path) -> None:
    out = tmp_path / "dsd.json"
    planwatch.export_structure(demo.path, out, format="sdmx-json")
    message = read_sdmx(out, validate=False)
    assert any(getattr(s, "id", None) == "CL_INDICATOR" for s in message.structures or [])


def test_age_codes_decode_back_whatever_the_category() -> None:
    for category in ("0-5", "60+", "18-34", "不满1岁", "65岁及以上"):
        assert st.age_category(st.age_code(category)) == category
    assert st.age_code("0-5") == "Y0T5"
    assert st.breakdown_from_codes({"SEX": "F", "AGE": "_T", "URBANISATION": "R"}) == ("sex=female;residence=rural",
                                                                                       None)
    assert st.breakdown_from_codes({"SEX": "X"}) == (None, "SEX")


def _rewrite(source: Path, target: Path, edit: dict[tuple[int, str], str]) -> None:
    """Copy an SDMX-CSV file with some cells changed: (line number, column) → new text."""
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for (line, column), text in edit.items():
        rows[line - 1][header.index(column)] = text
    with target.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def _submissions(workspace: Path) -> int:
    with sqlite3.connect(workspace / "planwatch.sqlite") as conn:
        return int(conn.execute("SELECT count(*) FROM submission").fetchone()[0])


def test_a_damaged_file_is_refused_at_its_cells_and_stores_nothing(
    exported: tuple[Path, Path], demo: DemoSummary, seed_workspaces: object, tmp_path: Path,
) -> None:
    fresh = fresh_workspace(tmp_path / "receiver", demo, seed_workspaces)
    bad = tmp_path / "bad.csv"
    _rewrite(exported[0], bad, {(2, "OBS_VALUE"): "12,5", (3, "SEX"): "X", (4, "REF_AREA"): "999999"})
    result = planwatch.import_data(fresh, [bad], actor="test")
    assert not result.accepted
    errors = [e for f in result.to_dict()["files"] for e in f["errors"]]
    found = {(e["code"], e["row"], e["column"]) for e in errors}
    assert ("ambiguous-separator", 2, "OBS_VALUE") in found
    assert ("unknown-code", 3, "SEX") in found
    assert any(e["code"] == "unknown-area" and "999999" in e["message"] for e in errors)
    sex = next(e for e in errors if e["code"] == "unknown-code")
    assert sex["message"] == "性别（SEX）的代码“X”不在数据结构的代码表中" and sex["file"] == "bad.csv"
    assert _submissions(fresh) == 0  # nothing stored, not even the valid parts


@pytest.mark.parametrize(("edit", "code", "column"), [
    ({(2, "STRUCTURE_ID"): "ESTAT:NAMA_10_GDP(1.0)"}, "sdmx-structure", "STRUCTURE_ID"),
    ({(5, "ACTION"): "D"}, "sdmx-action", "ACTION"),
])
def test_foreign_structures_and_deletions_are_refused(
    exported: tuple[Path, Path], demo: DemoSummary, seed_workspaces: object, tmp_path: Path,
    edit: dict[tuple[int, str], str], code: str, column: str,
) -> None:
    fresh = fresh_workspace(tmp_path / "receiver", demo, seed_workspaces)
    bad = tmp_path / "bad.csv"
    _rewrite(exported[0], bad, edit)
    result = planwatch.import_data(fresh, [bad], actor="test")
    errors = [e for f in result.to_dict()["files"] for e in f["errors"]]
    assert not result.accepted
    assert [(e["code"], e["column"]) for e in errors] == [(code, column)]
    assert _submissions(fresh) == 0


def test_nan_means_no_value_and_explained_gaps_travel_with_their_note(exported: tuple[Path, Path]) -> None:
    with exported[0].open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    gaps = [r for r in rows if r["OBS_VALUE"] == "NaN"]
    assert gaps and all(r["OBS_COMMENT"] for r in gaps)
    assert all(math.isfinite(float(r["OBS_VALUE"])) for r in rows if r["OBS_VALUE"] != "NaN")


def test_the_workspace_limits_apply_to_sdmx_files(
    exported: tuple[Path, Path], demo: DemoSummary, seed_workspaces: object, tmp_path: Path,
) -> None:
    import yaml

    fresh = fresh_workspace(tmp_path / "receiver", demo, seed_workspaces)
    config = yaml.safe_load((fresh / "workspace.yaml").read_text(encoding="utf-8"))
    config["limits"] = {"rows": 10}
    (fresh / "workspace.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = planwatch.import_data(fresh, [exported[0]], actor="test")
    errors = [e for f in result.to_dict()["files"] for e in f["errors"]]
    assert [(e["code"], e["row"]) for e in errors] == [("too-many-rows", 12)]
    assert _submissions(fresh) == 0
