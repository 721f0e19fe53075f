"""Word and PDF input: generated in the test from seed text, read to the same catalogue.

The .docx is written with python-docx one paragraph per seed line, as a Word original would
be. The .pdf is typeset with reportlab in a CJK CID font and wrapped at a fixed width like a
gazette page, so pypdf gives back lines broken in the middle of words and unit names, with
page breaks inside paragraphs. Both must give exactly the plans the plain text gives.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from planwatch.plan.model import Catalogue
from planwatch.plan.reader import read_files, read_text
from planwatch.plan.sources import read_source_lines

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "plans"
FONT = "STSong-Light"
WRAP = 33  # characters per printed line; narrower than a sentence, so words break


def _jinan_excerpt() -> list[str]:
    """Masthead, notice and the first two domains of 市中区's women's plan."""
    lines = (SEEDS / "jinan-shizhong-2022-7.txt").read_text(encoding="utf-8").splitlines()
    stop = next(i for i, line in enumerate(lines) if line.startswith("（三）妇女与经济"))
    # A Word original has no export artefacts.
    return [re.sub(r"\[bookmark:[^\]]*\]", "", line) for line in lines[:stop]]


def _shanting_excerpt() -> list[str]:
    """The gazette's masthead and the first two domains of 山亭区's women's plan, as printed
    (the Markdown marks the PDF-to-Markdown step added are taken away again)."""
    lines = (SEEDS / "shanting-gazette-2022-1.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line == "# 山亭区人民政府文件")
    stop = next(i for i, line in enumerate(lines) if "妇女与经济" in line and i > start)
    return [re.sub(r"^#+\s*", "", line) for line in lines[start:stop]]


def _write_docx(lines: list[str], path: Path) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _wrap(lines: list[str], width: int) -> list[str]:
    printed: list[str] = []
    for line in lines:
        text = line.strip()
        if not text:
            continue  # pypdf gives no blank lines back either
        printed.extend(text[i : i + width] for i in range(0, len(text), width))
    return printed


def _write_pdf(lines: list[str], path: Path, width: int = WRAP) -> Path:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    top, bottom, step = 800, 60, 18
    y = top
    for line in _wrap(lines, width):
        if y < bottom:
            pdf.showPage()
            y = top
        pdf.setFont(FONT, 12)
        pdf.drawString(50, y, line)
        y -= step
    pdf.save()
    return path


def _same_plans(got: Catalogue, expected: Catalogue) -> None:
    assert got.plans, "nothing read"
    assert [p.title for p in got.plans] == [p.title for p in expected.plans]
    for plan, want in zip(got.plans, expected.plans, strict=True):
        assert (plan.issuer, plan.doc_number, plan.date, plan.region, plan.period) == (
            want.issuer,
            want.doc_number,
            want.date,
            want.region,
            want.period,
        )
        assert [d.name for d in plan.domains] == [d.name for d in want.domains]
        for domain, want_domain in zip(plan.domains, want.domains, strict=True):
            assert domain.targets == want_domain.targets
            assert domain.measures == want_domain.measures
    assert got.plans == expected.plans


@pytest.fixture(scope="module")
def jinan_text() -> Catalogue:
    return read_text("\n".join(_jinan_excerpt()), source="jinan-excerpt.txt")


@pytest.fixture(scope="module")
def shanting_text() -> Catalogue:
    return read_text("\n".join(_shanting_excerpt()), source="shanting-excerpt.txt")


def test_text_excerpts_are_what_the_format_tests_need(jinan_text: Catalogue, shanting_text: Catalogue) -> None:
    """Guard: the excerpts hold real plans, so equality below means something."""
    (jinan,) = jinan_text.plans
    assert [(d.name, len(d.targets), len(d.measures)) for d in jinan.domains] == [
        ("妇女与健康", 11, 13),
        ("妇女与教育", 10, 11),
    ]
    assert jinan.doc_number == "市中政发〔2022〕7号"
    (shanting,) = shanting_text.plans
    assert [(d.name, len(d.targets), len(d.measures)) for d in shanting.domains] == [
        ("妇女与健康", 9, 13),
        ("妇女与教育", 12, 13),
    ]
    assert shanting.doc_number == "山政发〔2022〕2号"
    assert jinan_text.warnings == shanting_text.warnings == []


def test_docx_reads_like_text(tmp_path: Path, jinan_text: Catalogue) -> None:
    path = _write_docx(_jinan_excerpt(), tmp_path / "市中区规划.docx")
    catalogue = read_files([path])
    assert catalogue.warnings == []
    _same_plans(catalogue, jinan_text)
    target = catalogue.plans[0].domains[1].targets[1]
    assert target.responsible_units == ["区妇联（区妇儿工委办公室）"]


def test_docx_tables_are_read_too(tmp_path: Path) -> None:
    """Some offices put the target list in a table; its cells still reach the reader."""
    document = docx.Document()
    document.add_paragraph("正文")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "孕产妇死亡率"
    table.rows[0].cells[1].text = "8/10万以下"
    path = tmp_path / "table.docx"
    document.save(str(path))
    assert read_source_lines(path) == ["正文", "孕产妇死亡率\t8/10万以下"]


@pytest.mark.parametrize(
    ("excerpt", "name"),
    [(_jinan_excerpt, "jinan_text"), (_shanting_excerpt, "shanting_text")],
    ids=["jinan", "shanting"],
)
def test_pdf_with_broken_lines_reads_like_text(
    tmp_path: Path, request: pytest.FixtureRequest, excerpt: object, name: str
) -> None:
    assert callable(excerpt)
    lines: list[str] = excerpt()
    expected: Catalogue = request.getfixturevalue(name)
    path = _write_pdf(lines, tmp_path / "gazette.pdf")

    # The fixture really has the damage: unit names cut across extracted lines, several pages.
    extracted = read_source_lines(path)
    units = {u for p in expected.plans for d in p.domains for t in d.targets for u in t.lead_units}
    joined = "".join(extracted)
    broken = [u for u in units if joined.count(u) > sum(line.count(u) for line in extracted)]
    assert broken, "no unit name is broken across lines; make WRAP smaller"
    assert extracted.count("") >= 3  # page breaks

    catalogue = read_files([path])
    assert catalogue.warnings == []
    _same_plans(catalogue, expected)


def test_pdf_page_break_inside_a_unit_name(tmp_path: Path) -> None:
    """A unit name split over two pages ("区财" | "政局") is joined again."""
    lines = [
        "（一）妇女与经济。",
        "1.主要目标。",
        "（1）保障妇女获得公平的劳动报酬。（牵头单位：区人力资源社会保障局，责任单位：区财",
    ]
    rest = ["政局、区总工会、区农业农村局）", "2.策略措施。", "（1）加大保障力度。"]
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path / "break.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(FONT, 10)
    pdf.drawString(40, 800, "某某区“十四五”妇女发展规划")
    pdf.drawString(40, 780, "三、发展领域、主要目标和策略措施")
    for n, line in enumerate(lines):
        pdf.drawString(40, 760 - 20 * n, line)
    pdf.showPage()
    pdf.setFont(FONT, 10)
    for n, line in enumerate(rest):
        pdf.drawString(40, 800 - 20 * n, line)
    pdf.save()
    catalogue = read_files([path])
    assert catalogue.warnings == []
    (target,) = catalogue.plans[0].domains[0].targets
    assert target.number == 1
    assert target.text == "保障妇女获得公平的劳动报酬。"
    assert target.lead_units == ["区人力资源社会保障局"]
    assert target.responsible_units == ["区财政局", "区总工会", "区农业农村局"]


# --- files the reader cannot read: a warning naming the file, never an exception ---------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("坏文件.docx", b"PK\x03\x04 this is not really a zip archive"),
        ("空文件.docx", b""),
        ("坏文件.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF garbage"),
        ("空文件.pdf", b""),
        ("文本冒充.pdf", "这不是PDF文件".encode()),
    ],
)
def test_corrupt_file_gives_a_warning_naming_it(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    catalogue = read_files([path])
    assert catalogue.plans == []
    assert catalogue.warnings, "a corrupt file must be reported"
    first = catalogue.warnings[0]
    assert first.file == str(path)
    assert path.name in first.message


def test_truncated_pdf_gives_a_warning_or_what_it_could_read(tmp_path: Path) -> None:
    whole = _write_pdf(_jinan_excerpt(), tmp_path / "whole.pdf")
    cut = tmp_path / "截断.pdf"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    catalogue = read_files([cut])
    assert catalogue.warnings
    assert all(w.file == str(cut) for w in catalogue.warnings)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    """A scanned gazette has pages but no text: say so, naming the file."""
    path = tmp_path / "扫描件.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(50, 50, 400, 600, fill=1)
    pdf.showPage()
    pdf.rect(80, 80, 100, 100)
    pdf.save()
    catalogue = read_files([path])
    assert catalogue.plans == []
    (warning,) = catalogue.warnings
    assert warning.file == str(path)
    assert "扫描件.pdf" in warning.message
    assert "文本层" in warning.message


def test_good_file_still_read_after_a_bad_one(tmp_path: Path, jinan_text: Catalogue) -> None:
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"garbage")
    good = _write_docx(_jinan_excerpt(), tmp_path / "好.docx")
    catalogue = read_files([bad, good])
    assert [w.file for w in catalogue.warnings] == [str(bad)]
    _same_plans(catalogue, jinan_text)


def test_gb18030_text_file(tmp_path: Path, jinan_text: Catalogue) -> None:
    """Older office PCs save text as GB18030; it reads the same as UTF-8."""
    path = tmp_path / "规划.txt"
    path.write_bytes("\n".join(_jinan_excerpt()).encode("gb18030"))
    catalogue = read_files([path])
    assert catalogue.warnings == []
    _same_plans(catalogue, jinan_text)


def test_utf8_bom_text_file(tmp_path: Path, jinan_text: Catalogue) -> None:
    path = tmp_path / "规划.md"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(_jinan_excerpt()).encode("utf-8"))
    catalogue = read_files([path])
    assert catalogue.plans[0].issuer == "济南市市中区人民政府"
    _same_plans(catalogue, jinan_text)


def _gazette_policy_documents() -> list[str]:
    """The gazette's four other documents (产业扶持办法 … 政务公开工作要点), as printed."""
    lines = (SEEDS / "shanting-gazette-2022-1.md").read_text(encoding="utf-8").splitlines()
    start = [i for i, line in enumerate(lines) if line.endswith("人民政府文件")][1]
    return [re.sub(r"^#+\s*", "", line) for line in lines[start:]]


def test_gazette_policy_documents_from_markdown() -> None:
    catalogue = read_text("\n".join(_gazette_policy_documents()))
    assert [(p.title, p.doc_number, p.subject) for p in catalogue.plans] == [
        ("山亭区产业扶持办法（试行）", "山政发〔2022〕3号", "other"),
        ("山亭区招商引资项目全生命周期服务实施方案", "山政发〔2022〕4号", "other"),
        ("关于加快山亭区金融业高质量发展的意见", "山政发〔2022〕5号", "other"),
        ("2022年山亭区政务公开工作要点", "山政办发〔2022〕2号", "other"),
    ]


def test_gazette_policy_documents_from_pdf(tmp_path: Path) -> None:
    path = _write_pdf(_gazette_policy_documents(), tmp_path / "gazette-policies.pdf", width=40)
    catalogue = read_files([path])
    assert [(p.title, p.doc_number) for p in catalogue.plans] == [
        ("山亭区产业扶持办法（试行）", "山政发〔2022〕3号"),
        ("山亭区招商引资项目全生命周期服务实施方案", "山政发〔2022〕4号"),
        ("关于加快山亭区金融业高质量发展的意见", "山政发〔2022〕5号"),
        ("2022年山亭区政务公开工作要点", "山政办发〔2022〕2号"),
    ]


def test_undecodable_byte_is_reported_with_its_line(tmp_path: Path) -> None:
    data = bytearray("\n".join(_jinan_excerpt()).encode("utf-8"))
    at = data.index("妇女与教育".encode())
    data[at + 1] = 0xFF  # break the first character of the domain heading
    path = tmp_path / "损坏.txt"
    path.write_bytes(bytes(data))
    line = data[:at].count(b"\n") + 1
    catalogue = read_files([path])
    assert any(w.file == str(path) and w.line == line for w in catalogue.warnings)
