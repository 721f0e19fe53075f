"""SDMX in and out: a workspace's figures as SDMX-CSV 2.0, its catalogue as an SDMX structure,
and SDMX-CSV files read into the importer's parts.

**Library.** pysdmx (the BIS's SDMX library, pinned in pyproject.toml) writes and reads the
messages; planwatch writes no SDMX syntax itself. It was chosen over sdmx1 because it writes
and reads SDMX-CSV 2.0 and writes SDMX-ML 3.0 and SDMX-JSON 2.0 structure messages, which
is what the exchange needs; sdmx1 writes SDMX-ML 2.1 and SDMX-CSV 1.0.

**What pysdmx cannot write, and what is therefore not offered:** SDMX-JSON *data* messages
(pysdmx writes SDMX-JSON only for structures and reference metadata). Data go out as
SDMX-CSV 2.0 (``export sdmx``) or SDMX-ML 3.0 structure-specific data (``--format
sdmx-ml``); structures as SDMX-ML 3.0 or SDMX-JSON 2.0. Names carry the language tag ``en``
although they are Chinese (see :mod:`.structure`).

**Export.** The rows are :func:`planwatch.exchange.figures.read_figures` — by default the
latest approved revision of each unit, area and year, the figures the assessment uses. Text
is written exactly (an SDMX-CSV file is read by programs, and a unit name changed to make
it "formula-safe" would no longer name the unit on import); the CSV and Excel tables for
people (:mod:`.tables`) are the formula-safe ones.

**Import.** :func:`read_exchange_file` recognises SDMX-CSV by its header (``STRUCTURE,
STRUCTURE_ID,…`` for 2.0, ``DATAFLOW,…`` for 1.0), reads it with pysdmx and splits its rows
by reporting unit, area and year into :class:`~planwatch.collect.rows.ParsedFile` parts —
the shape a workbook has — so :func:`planwatch.collect.importer.import_files` checks each
part with ``check_parsed``, the very checks of an Excel import (problem ids, Chinese
messages, file/row/column), and stores the whole file or nothing. Rows are numbered as
lines of the file (the header is line 1); columns by their SDMX id. Cells are read as text
and parsed by planwatch's own number rules, so ``12,5`` is an ``ambiguous-separator`` here
too. Imported figures are stored as a new *draft* revision of each unit's submission, like
any import: the sender's approval was its own office's decision, and this workspace's
office reviews and approves them through its own workflow (the city pull, which mirrors
figures the district already approved, is the one exception: :mod:`.pull`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect.catalogue import ImportCatalogue
from planwatch.collect.cells import NotANumber, parse_number, parse_year
from planwatch.collect.csvfile import decode_text
from planwatch.collect.problems import Problem, problem
from planwatch.collect.rows import InputRow, ParsedFile
from planwatch.errors import PlanwatchError
from planwatch.exchange import structure as st
from planwatch.exchange.figures import Figure, read_figures
from planwatch.limits import DEFAULT, Limits
from planwatch.store import models as m
from planwatch.vocabulary import BREAKDOWN_DIMENSIONS

if TYPE_CHECKING:
    import pandas as pd

DataFormat = Literal["sdmx-csv", "sdmx-ml"]
StructureFormat = Literal["sdmx-ml", "sdmx-json"]

NULLS = frozenset({"", "NaN", "#N/A", "nan", "<NA>", "None"})
"""What pysdmx and SDMX-CSV write for a missing value."""

FORMAT = "sdmx-csv"
REQUIRED_COLUMNS = ("INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "REPORTING_UNIT")
KNOWN_COLUMNS = frozenset((*st.DIMENSIONS, st.MEASURE, *st.ATTRIBUTES))


class SdmxExportError(PlanwatchError, ValueError):
    """A figure the data structure cannot express, or nothing to export."""

    code = "exchange.sdmx_export"


@dataclass(frozen=True)
class SdmxExport:
    """What an SDMX export wrote."""

    path: Path
    format: str
    observations: int
    areas: list[str]
    years: list[int]
    skipped: list[str] = field(default_factory=list)
    """Figures the structure cannot hold (a breakdown dimension other than 性别/年龄组/城乡)."""


# --------------------------------------------------------------------------- structure


def catalogue_codes(session: Session) -> st.CatalogueCodes:
    """The codelists' content from the workspace: every indicator, area and age group."""
    indicators = [(i.code, i.name, i.unit) for i in session.scalars(select(m.Indicator).order_by(m.Indicator.code))]
    areas = [(a.code, a.full_name) for a in session.scalars(select(m.Area).order_by(m.Area.code))]
    return st.CatalogueCodes(indicators=indicators, areas=areas, age_groups=_age_groups(ImportCatalogue.load(session)))


def _age_groups(catalogue: ImportCatalogue) -> list[str]:
    found = st.default_age_groups()
    for spec in catalogue.indicators.values():
        for dim in spec.dims:
            if dim.name == "age_group":
                found.extend(c for c in dim.categories if c not in found)
    return found


def structure_text(session: Session, fmt: StructureFormat = "sdmx-ml") -> str:
    """The DSD with its codelists and concepts as an SDMX-ML 3.0 or SDMX-JSON 2.0 message."""
    from pysdmx.io import write_sdmx
    from pysdmx.io.format import Format

    built = st.build_structure(catalogue_codes(session))
    if fmt == "sdmx-ml":
        text = write_sdmx(built.artefacts, Format.STRUCTURE_SDMX_ML_3_0, header=_header())
    else:
        text = write_sdmx(built.artefacts, Format.STRUCTURE_SDMX_JSON_2_0_0)
    assert text is not None
    return text


# --------------------------------------------------------------------------- data out


def figures_frame(figures: Sequence[Figure], source: str) -> tuple[pd.DataFrame, list[str]]:
    """The rows of an SDMX data set (columns named by component id) and the figures left out."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    for f in figures:
        try:
            codes = st.breakdown_codes(f.breakdown)
        except st.StructureError as exc:
            skipped.append(f"{f.area_code} {f.indicator_code} {f.year} {f.breakdown}：{exc}")
            continue
        rows.append({
            "INDICATOR": f.indicator_code, "REF_AREA": f.area_code, **codes, "TIME_PERIOD": str(f.year),
            "OBS_VALUE": f.value, "UNIT_MEASURE": f.measure_unit or "", "NUMERATOR": f.numerator,
            "DENOMINATOR": f.denominator, "REPORTING_UNIT": f.reporting_unit, "OBS_COMMENT": f.note or "",
            "DATA_SOURCE": source, "SUBMISSION": f.submission_id, "REVISION": f.revision,
        })
    columns = [*st.DIMENSIONS, st.MEASURE, *st.ATTRIBUTES]
    frame = pd.DataFrame(rows, columns=columns)
    for name in ("NUMERATOR", "DENOMINATOR", "OBS_VALUE"):
        frame[name] = frame[name].astype("float64")
    return frame, skipped


def export_data(
    session: Session,
    output: Path,
    *,
    source: str,
    fmt: DataFormat = "sdmx-csv",
    years: Sequence[int] | None = None,
    areas: Sequence[str] | None = None,
    approved_only: bool = True,
) -> SdmxExport:
    """Write the workspace's figures as SDMX-CSV 2.0 (or SDMX-ML 3.0 data) to ``output``.

    ``source`` names the sending workspace in ``DATA_SOURCE``. Refused when there is no
    figure to send, so an empty file never looks like "no figures this year".
    """
    from pysdmx.io import write_sdmx
    from pysdmx.io.format import Format
    from pysdmx.io.pd import PandasDataset

    figures = read_figures(session, years=years, areas=areas, approved_only=approved_only)
    frame, skipped = figures_frame(figures, source)
    if frame.empty:
        what = "已审定的" if approved_only else ""
        raise SdmxExportError(f"没有符合条件的{what}数据可导出 no figures to export")
    built = st.build_structure(catalogue_codes(session))
    dataset = PandasDataset(structure=built.schema, data=frame)
    if fmt == "sdmx-csv":
        text = write_sdmx([dataset], Format.DATA_SDMX_CSV_2_0_0)
    else:
        text = write_sdmx([dataset], Format.DATA_SDMX_ML_3_0, header=_header(source))
    assert text is not None
    output.write_text(text, encoding="utf-8")
    return SdmxExport(
        path=output, format=fmt, observations=len(frame), areas=sorted(set(frame["REF_AREA"])),
        years=sorted({int(y) for y in frame["TIME_PERIOD"]}), skipped=skipped,
    )


def _header(source: str | None = None) -> Any:
    """An SDMX-ML message header naming planwatch (and the sending workspace) as the sender,
    instead of pysdmx's placeholder sender ``ZZZ``."""
    from pysdmx.model import Organisation
    from pysdmx.model.message import Header

    return Header(sender=Organisation(id=st.AGENCY, name=source or "planwatch"))


# --------------------------------------------------------------------------- data in


def sniff(path: Path) -> bool:
    """Whether the file is SDMX-CSV, from its first line (the header), whatever its suffix."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    first = head.decode("utf-8-sig", errors="replace").lstrip().split("\n", 1)[0]
    cells = [c.strip().strip('"').split(":", 1)[0].upper() for c in first.split(",")]
    return (len(cells) >= 2 and cells[0] == "STRUCTURE" and cells[1] == "STRUCTURE_ID") or (
        bool(cells) and cells[0] == "DATAFLOW")


def read_exchange_file(path: Path, catalogue: ImportCatalogue, limits: Limits = DEFAULT) -> list[ParsedFile] | None:
    """The importer's reader for exchange formats: SDMX-CSV parts, or None for any other file."""
    if not sniff(path):
        return None
    return read_sdmx_csv(path, catalogue, limits)


def read_sdmx_csv(path: Path, catalogue: ImportCatalogue, limits: Limits = DEFAULT) -> list[ParsedFile]:
    """An SDMX-CSV file as one part per (area, reporting unit, year), problems at their rows.

    A problem of the whole file (unreadable, wrong structure, missing column) comes back as
    one part without rows, so the importer refuses the file with it.
    """
    return [part for part, _ in read_sdmx_parts(path, catalogue, limits)]


Provenance = dict[str, str | None]
"""A part's ``DATA_SOURCE``, ``SUBMISSION`` and ``REVISION`` as the sender wrote them."""


def read_sdmx_parts(
    path: Path, catalogue: ImportCatalogue, limits: Limits = DEFAULT
) -> list[tuple[ParsedFile, Provenance]]:
    """:func:`read_sdmx_csv` with each part's provenance attributes (for the city pull)."""
    name = path.name

    def refused(*problems: Problem) -> list[tuple[ParsedFile, Provenance]]:
        return [(ParsedFile(path=str(path), file=name, format=FORMAT, problems=list(problems)), {})]

    try:
        size = path.stat().st_size
        if size > limits.file_bytes:
            return refused(problem("file-too-large", file=name, what="文件大小", size=size, limit=limits.file_bytes))
        data = path.read_bytes()
    except OSError as exc:
        return refused(problem("unreadable-file", file=name, reason=exc.strerror or str(exc)))
    text = decode_text(data)
    if text is None:
        return refused(problem("unreadable-file", file=name, reason="SDMX-CSV 文件应为 UTF-8 编码"))
    early = _check_raw(text, name, limits)
    if early:
        return refused(*early)
    try:
        frames = _read_with_pysdmx(text)
    except Exception as exc:  # pysdmx raises its own Invalid and pandas' parser errors
        return refused(problem("unreadable-file", file=name, reason=f"不是有效的 SDMX-CSV 文件：{exc}"))
    parts: dict[tuple[str, str, str], ParsedFile] = {}
    provenance: dict[tuple[str, str, str], Provenance] = {}
    file_problems: list[Problem] = []
    for structure_id, frame in frames:
        if structure_id != st.STRUCTURE_ID:
            file_problems.append(problem("sdmx-structure", file=name, row=int(frame.index[0]) + 2,
                                         column="STRUCTURE_ID", found=structure_id, expected=st.STRUCTURE_ID))
            continue
        file_problems.extend(_columns(frame, name))
        if file_problems:
            continue
        _rows(frame, name, catalogue, limits, parts, provenance)
    if file_problems:
        return refused(*file_problems)
    if not parts:
        return refused(problem("empty-file", file=name))
    return [(part, provenance[key]) for key, part in parts.items()]


def _check_raw(text: str, name: str, limits: Limits) -> list[Problem]:
    """Row limit and the ACTION column, checked on the raw text before pysdmx reads it.

    pysdmx drops rows whose ACTION is ``D`` (delete) when other actions are present; a
    deletion is not something an import can do, so such rows are refused at their line
    rather than lost without a word.
    """
    reader = csv.reader(io.StringIO(text, newline=None))
    header = next(reader, None) or []
    names = [h.strip().split(":", 1)[0] for h in header]
    action = names.index("ACTION") if "ACTION" in names else None
    out: list[Problem] = []
    for n, row in enumerate(reader, start=2):
        if n - 1 > limits.rows:
            return [problem("too-many-rows", file=name, row=n, limit=limits.rows)]
        if action is not None and action < len(row) and row[action].strip().upper() == "D":
            out.append(problem("sdmx-action", file=name, row=n, column="ACTION", action=row[action]))
    return out


def _read_with_pysdmx(text: str) -> list[tuple[str, pd.DataFrame]]:
    """(STRUCTURE_ID, rows as text) per data set; the frame's index is the row's position."""
    from pysdmx.io import read_sdmx
    from pysdmx.io.pd import PandasDataset

    message = read_sdmx(io.BytesIO(text.encode("utf-8")), validate=False)
    out = []
    for dataset in message.data or []:
        assert isinstance(dataset, PandasDataset)
        out.append((dataset.short_urn.split("=", 1)[1], dataset.data))
    return out


def _columns(frame: pd.DataFrame, name: str) -> list[Problem]:
    out = []
    known = "、".join((*st.DIMENSIONS, st.MEASURE, *st.ATTRIBUTES))
    for column in frame.columns:
        if column not in KNOWN_COLUMNS:
            out.append(problem("unknown-column", file=name, row=1, column=str(column), name=column, known=known))
    for column in REQUIRED_COLUMNS:
        if column not in frame.columns:
            out.append(problem("missing-column", file=name, row=1, name=f"{column}（{st.CONCEPT_NAMES[column]}）"))
    return out


def _cell(record: dict[str, Any], column: str) -> str | None:
    value = record.get(column)
    if value is None:
        return None
    text = str(value).strip()
    return None if text in NULLS else text


def _rows(
    frame: pd.DataFrame, name: str, catalogue: ImportCatalogue, limits: Limits,
    parts: dict[tuple[str, str, str], ParsedFile], provenance: dict[tuple[str, str, str], Provenance],
) -> None:
    units = catalogue.unit_labels
    for index, record in zip(frame.index, frame.to_dict(orient="records"), strict=True):
        line = int(index) + 2
        area = _cell(record, "REF_AREA") or ""
        unit = _cell(record, "REPORTING_UNIT") or ""
        period = _cell(record, "TIME_PERIOD") or ""
        key = (area, unit, period)
        part = parts.get(key)
        if part is None:
            part = ParsedFile(path=name, file=name, format=FORMAT, area_code=area, unit_name=unit,
                              year=parse_year(period), header_place=(None, line, "REPORTING_UNIT"))
            parts[key] = part
            provenance[key] = {k: _cell(record, k) for k in ("DATA_SOURCE", "SUBMISSION", "REVISION")}
            if not unit:
                part.problems.append(problem("missing-column", file=name, row=line, column="REPORTING_UNIT",
                                             name="REPORTING_UNIT（填报单位）"))
            if part.year is None:
                part.problems.append(problem("invalid-year", file=name, row=line, column="TIME_PERIOD",
                                             year=period[:40]))
        codes = {dim: _cell(record, dim) or st.TOTAL_CODE for dim in st.BREAKDOWN_DIMENSIONS}
        breakdown, bad = st.breakdown_from_codes(codes)
        indicator = _cell(record, "INDICATOR") or ""
        row = InputRow(file=name, sheet=None, row=line, indicator_code=indicator, breakdown=breakdown or "",
                       columns={"indicator": "INDICATOR", "breakdown": bad or "SEX", "value": "OBS_VALUE",
                                "numerator": "NUMERATOR", "denominator": "DENOMINATOR", "note": "OBS_COMMENT"})
        if bad is not None:
            part.problems.append(problem("unknown-code", file=name, row=line, column=bad, found=codes[bad],
                                         dimension=bad, label=_dimension_label(bad)))
            continue
        for fld, column, label in (("value", "OBS_VALUE", "数值"), ("numerator", "NUMERATOR", "分子"),
                                   ("denominator", "DENOMINATOR", "分母")):
            text = _cell(record, column)
            try:
                setattr(row, fld, parse_number(text, units.get(indicator), limits.magnitude))
            except NotANumber as exc:
                row.unreadable.add(fld)
                part.problems.append(problem(exc.problem, file=name, row=line, column=column, field=label,
                                             text=exc.text, limit=limits.magnitude))
        note = _cell(record, "OBS_COMMENT")
        if note is not None and len(note) > limits.note_chars:
            part.problems.append(problem("cell-too-long", file=name, row=line, column="OBS_COMMENT", field="备注",
                                         length=len(note), limit=limits.note_chars))
            continue
        row.note = note
        part.rows.append(row)


def _dimension_label(sdmx_dim: str) -> str:
    from planwatch.vocabulary import DIMENSION_LABELS

    dim = st.BREAKDOWN_DIMENSIONS.get(sdmx_dim)
    return DIMENSION_LABELS.get(dim, sdmx_dim) if dim in BREAKDOWN_DIMENSIONS else sdmx_dim
