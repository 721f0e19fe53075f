"""Which CJK fonts the reports use, and finding them on this machine.

Official documents call for 方正小标宋 (title), 黑体 (first-level headings), 楷体 (second
level) and 仿宋_GB2312 (body). Those are commercial fonts that no package registry ships,
so planwatch uses the freely packaged Noto CJK families (Debian ``fonts-noto-cjk``) in
their place: Noto Serif CJK SC for the serif roles and Noto Sans CJK SC for 黑体. A Word
document names the families; the reader's Word substitutes if they are missing, but
charts are drawn here and must find a CJK font now, or the labels become empty boxes —
hence ``chart_font`` fails loudly instead.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from matplotlib import font_manager

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


class MissingFontError(RuntimeError):
    """No font that can draw Chinese is installed; charts would show boxes (tofu)."""


@dataclass(frozen=True)
class FontRoles:
    """Font family per role in a document (the official-document roles in brackets)."""

    title: str = SERIF  # 方正小标宋
    heading1: str = SANS  # 黑体
    heading2: str = SERIF  # 楷体
    body: str = SERIF  # 仿宋_GB2312
    table: str = SERIF
    latin: str = "Times New Roman"


DEFAULT_FONTS = FontRoles()


def _names() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def _register_fontconfig_cjk() -> None:
    """Add fontconfig's Chinese fonts to matplotlib (its cache may predate their install)."""
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
