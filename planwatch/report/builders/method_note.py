"""The annual report's method note, in plain Chinese for the office that sends it up.

The readers of a district report are the 妇儿工委 and the government, not the people who
configure the assessment: the note says where the figures come from, how they are rounded
and compared, what each status means and how the report chose its headings and key
indicators — with the thresholds as numbers in sentences, and without setting names,
program names or the English labels of the methods' sources.
"""

from __future__ import annotations

from planwatch.assess import status as st
from planwatch.assess.config import AssessConfig
from planwatch.assess.precision import DEFAULT_DECIMALS
from planwatch.report.builders.key_indicators import MAX_KEY, MAX_WARNED, MIN_KEY
from planwatch.report.data import ReportData
from planwatch.report.model import Column, Paragraph, Section, Table


def _pct(x: float) -> str:
    return f"{x * 100:g}%"


def _trend_text(method: str, c: AssessConfig) -> str:
    if method == "un":
        return (
            "对尚未实现的目标，参照联合国可持续发展目标进展评估的做法，以近年实际的年均增长率与"
            "按期实现目标所需的年均增长率之比判断：比值达到"
            f"{c.un_on_track_ratio:g}的判为预计可实现，低于此值而未背离目标的判为预计达标困难，"
            "为负值（变化方向与目标相反）的判为逆向变化。"
        )
    if method == "opensdg":
        return (
            "对尚未实现的目标，参照开放式可持续发展目标数据平台的进展评估做法，以近年实际的"
            "年均复合增长率与按期实现目标所需的增长率之比判断：比值达到"
            f"{c.opensdg_high:g}的判为预计可实现，低于此值而未背离目标的判为预计达标困难，"
            "为负值的判为逆向变化。"
        )
    return (
        f"对尚未实现的目标，用最近{c.trend_window_years}年内全部已审核年份的数据计算年均变化"
        "（最小二乘法），按此速度推算到目标年份：能达到目标或完成剩余差距"
        f"{_pct(c.default_on_track_ratio)}以上的，判为预计可实现；变化方向符合但推进速度不够的，"
        "判为预计达标困难；变化方向与目标要求相反的，判为逆向变化。这一做法参照德国可持续"
        "发展战略的评估方法，并用全部年份的数据代替首末两年，使单个年份的异常不左右判断。"
        "只有两个年份的数据时照样推算，但注明仅供参考。"
    )


def _on_track(method: str, c: AssessConfig) -> str:
    if method == "un":
        return f"实际与所需增长率之比达到{c.un_on_track_ratio:g}"
    if method == "opensdg":
        return f"实际与所需增长率之比达到{c.opensdg_high:g}"
    return f"能完成剩余差距的{_pct(c.default_on_track_ratio)}以上"


def definitions(method: str, c: AssessConfig) -> list[list[str | None]]:
    """Each status in one plain sentence, with the thresholds of ``c``."""
    band, tol = _pct(c.approx_tolerance_rel), _pct(c.basic_tolerance_rel)
    sig = _pct(c.directional_significant_rel)
    reach = _on_track(method, c)
    text = {
        st.ACHIEVED: (f"最新数值四舍五入后达到目标（“不低于”“不高于”含恰好等于目标值，“左右”为"
                      f"目标值上下{band}以内）；方向性目标为年均变化达到{sig}且方向符合。"),
        st.BASICALLY_ACHIEVED: (f"尚未达到目标，但差距不超过目标值的{tol}；方向性目标为方向"
                                f"符合但年均变化不足{sig}。"),
        st.ON_TRACK: f"尚未实现，按近年趋势推算到目标年份，{reach}。",
        st.AT_RISK: ("变化方向符合目标或没有变化，但按趋势推算到目标年份达不到上一条的要求；"
                     "或目标年份已到而未实现。"),
        st.REGRESSING: "近年变化方向与目标要求的方向相反。",
        st.INSUFFICIENT: (f"没有已审核的数据，或尚未实现而可用于判断趋势的年份少于"
                          f"{c.min_trend_points}个。"),
    }
    return [[s, text[s]] for s in st.STATUSES]


def add_method_note(section: Section, data: ReportData, table_caption: str,
                    issuer: str, *, about_headings: bool = True) -> None:
    """The note's paragraphs and the table of status definitions (``table_caption``);
    ``about_headings`` adds how the annual report words its headings and picks its key
    indicators (the evaluations do neither)."""
    c = data.config
    methods = []
    if "method" in data.result.columns:
        methods = [m for m in data.result.get_column("method").drop_nulls().unique(
            maintain_order=True).to_list() if m]
    method = str(methods[0]) if methods else "default"
    paragraphs = [
        ("数据来源。本报告的数据由妇儿工委各成员单位按规划监测指标体系报送，经"
         f"{issuer}审核确认；已报送但尚未审核确认的数据不参与评估，图中标为“待审定”。"
         "同一数据由两个单位报送而数值不一致的，不采用任何一方的数值，列入数据冲突清单，"
         "该年按缺失处理。"),
        (f"数值比较。各项数据按指标公布的小数位数（一般保留{DEFAULT_DECIMALS}位小数）四舍五入后"
         "再比较和计算增减，正文、表格和图中的数值一致；四舍五入后相同的两个数值视为持平。"
         "比上年、比基期的增减是两个四舍五入后数值之差；百分比指标的增减以百分点表示。"),
        ("达标率。达标率＝已实现的指标数÷可监测的指标数×100%，保留两位小数。可监测的指标"
         "指数据足以作出判断的指标，未填报、待审定和数据年份不足的指标不计入；基本实现的指标"
         "单独列出，不计入达标。"),
        "趋势判断。" + _trend_text(method, c),
        (f"其他规定。尚未达到目标、但差距不超过目标值{_pct(c.basic_tolerance_rel)}的，判为基本"
         f"实现；“左右”类目标允许偏离目标值上下{_pct(c.approx_tolerance_rel)}；逐步提高、逐步"
         f"下降等方向性目标，以年均相对变化是否达到{_pct(c.directional_significant_rel)}判断。"
         "分性别、分城乡的数据只在规划为其单独设定目标时与目标比较，其余只说明差距。"),
        ("标题和重点指标。各领域标题概括该领域的评估结果：先说可比指标与上年相比是改善还是"
         "退步，再说出现逆向变化或预计达标困难的指标数，没有这两类时说达标情况；不写数据"
         f"不能说明的判断。正文每个领域重点说明{MIN_KEY}至{MAX_KEY}项指标，依次选取发出预警的"
         f"指标（最多{MAX_WARNED}项，逆向变化在前）、比上年变化幅度最大的指标、规划在该领域"
         "列在首位的指标。"),
        ("存在问题和对策建议。这两部分按牵头单位，根据预警指标、未报送和迟报情况、定性目标"
         "自评结果和各单位报送的落实情况报告起草，引用单位原话时加引号并注明出处，标有"
         "“初稿，请审核修改”，须经统计人员核实修改后定稿。"),
    ]
    for text in paragraphs:
        if not about_headings and text.startswith("标题和重点指标"):
            continue
        section.add(Paragraph(text, "note"))
    section.add(Table(table_caption, [Column("状态", width=12), Column("含义", width=78)],
                      definitions(method, c)))  # type: ignore[arg-type]


__all__ = ["add_method_note", "definitions"]
