"""One family for every error planwatch raises on purpose.

Callers — the CLI today, the web application and the REST API next — catch
:class:`PlanwatchError` once and show its Chinese message; ``code`` is stable
(the web layer maps it to an HTTP status, scripts may test it) and ``place``
names where the problem is (file, sheet, row, column) when there is one.
Anything else that escapes is a bug in planwatch, not a user's mistake.

This module imports nothing from planwatch: every layer may use it.
"""

from __future__ import annotations

import re

__all__ = ["PlanwatchError", "chinese_part", "error_payload"]

# Chinese text and its punctuation (including the curly quotes Chinese uses).
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2018-\u201d]")
# An English clause at the end: it opens with a letter (or a bracket) and holds nothing Chinese.
_ENGLISH_TAIL = re.compile(r"\s*[(\[]?[A-Za-z][^\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]*")
_WORD = re.compile(r"[A-Za-z]+")


def chinese_part(text: str) -> str:
    """A message without the English clause many end with ("……请先运行 planwatch upgrade 升级
    (the database was made by an older planwatch; …)"), for pages read in Chinese only; the
    command line keeps both. A tail counts as English with three words or more, so a command,
    an option or a file name after the Chinese ("请指定 --unit", "文件 a.xlsx") stays."""
    ends = [m.end() for m in _CJK.finditer(text)]
    if not ends:
        return text
    tail = text[ends[-1]:]
    if _ENGLISH_TAIL.fullmatch(tail) and len(_WORD.findall(tail)) >= 3:
        return text[:ends[-1]]
    return text


class PlanwatchError(Exception):
    """Base of every deliberate planwatch error.

    Subclasses keep their historic builtin base as a second parent (``ValueError``,
    ``LookupError`` …) so code that caught those still works; new code catches this.
    """

    code: str = "planwatch"
    """Stable, dotted, lower-case identifier of the kind of error (``"workspace.exists"``)."""

    place: str | None = None
    """Where the problem is, in the user's words (``"a.xlsx 工作表“数据” 第3行 F列"``)."""

    @property
    def message(self) -> str:
        """The message a user reads: Chinese, often followed by the same in English."""
        return str(self)

    @property
    def chinese_message(self) -> str:
        """The message without its English clause, for a page read in Chinese."""
        return chinese_part(self.message)


def error_payload(error: PlanwatchError) -> dict[str, str | None]:
    """The JSON shape every interface answers an error with."""
    return {"code": error.code, "message": error.message, "place": error.place}
