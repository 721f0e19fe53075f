"""Which CJK fonts the reports use, and finding them on this machine.

Official documents call for 方正小标宋简体 (title), 黑体 (first-level headings), 楷体_GB2312
(second level) and 仿宋_GB2312 (body). Word documents name exactly those families, because
the offices that receive them have them installed and check for them; each name carries
its fallbacks (``OFFICE_FALLBACKS``): the Windows family of the same style (仿宋, 楷体, 宋体,
SimHei) that Word and WPS substitute through the font table's ``w:altName``, then the
freely packaged Noto CJK family (Debian ``fonts-noto-cjk``) that LibreOffice and the
HTML/PDF output use on a machine without the commercial fonts. Charts are drawn here and
must find a CJK font now, or the labels become empty boxes — hence ``chart_font`` fails
loudly instead.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from planwatch.errors import PlanwatchError

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"

# Families that can draw simplified Chinese, best first; the first one present is used.
_CHART_CANDIDATES = (
    SANS,
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    SERIF,
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)


class MissingFontError(PlanwatchError, RuntimeError):
    """No font that can draw Chinese is installed; charts would show boxes (tofu)."""

    code = "report.font_missing"


TITLE_FONT = "方正小标宋简体"
HEI = "黑体"
KAI = "楷体_GB2312"
FANGSONG = "仿宋_GB2312"


@dataclass(frozen=True)
class Fallback:
    """What stands in for an office font: the Windows family of the same style (Word's
    ``w:altName``) and the packaged Noto family (fontconfig alias, report.css)."""

    windows: str
    noto: str
    # Font-table facts Word and WPS use to pick a substitute: charset 86 is GB2312;
    # family "roman" is serif, "modern" fixed-pitch, "swiss" sans-serif.
    family: str
    pitch: str


OFFICE_FALLBACKS: dict[str, Fallback] = {
    TITLE_FONT: Fallback("宋体", SERIF, "auto", "variable"),
    FANGSONG: Fallback("仿宋", SERIF, "modern", "fixed"),
    KAI: Fallback("楷体", SERIF, "modern", "fixed"),
    HEI: Fallback("SimHei", SANS, "modern", "fixed"),
}


@dataclass(frozen=True)
class FontRoles:
    """Font family per role in a document, by the names Chinese offices have."""

    title: str = TITLE_FONT
    heading1: str = HEI
    heading2: str = KAI
    body: str = FANGSONG
    table: str = FANGSONG
    latin: str = "Times New Roman"


DEFAULT_FONTS = FontRoles()


def _names() -> set[str]:
    from matplotlib import font_manager  # only the PNG charts need it: Word files do not

    return {f.name for f in font_manager.fontManager.ttflist}


def _register_fontconfig_cjk() -> None:
    """Add fontconfig's Chinese fonts to matplotlib (its cache may predate their install)."""
    from matplotlib import font_manager

    if shutil.which("fc-list") is None:
        return
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return
    for line in out.splitlines():
        path = line.strip().rstrip(":").strip()
        if path:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue


@lru_cache(maxsize=1)
def chart_font() -> str:
    """The family matplotlib draws Chinese labels with; raises if there is none."""
    names = _names()
    for family in _CHART_CANDIDATES:
        if family in names:
            return family
    _register_fontconfig_cjk()
    names = _names()
    for family in _CHART_CANDIDATES:
        if family in names:
            return family
    raise MissingFontError(
        "未找到可显示中文的字体，图表中的中文会显示为方框。请安装 Noto CJK 字体："
        "sudo apt-get install fonts-noto-cjk（或运行 bash scripts/setup.sh）。"
        " No CJK font found (looked for: " + ", ".join(_CHART_CANDIDATES) + ")."
    )
