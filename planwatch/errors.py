"""One family for every error planwatch raises on purpose.

Callers — the CLI today, the web application and the REST API next — catch
:class:`PlanwatchError` once and show its Chinese message; ``code`` is stable
(the web layer maps it to an HTTP status, scripts may test it) and ``place``
names where the problem is (file, sheet, row, column) when there is one.
Anything else that escapes is a bug in planwatch, not a user's mistake.

This module imports nothing from planwatch: every layer may use it.
"""

from __future__ import annotations

__all__ = ["PlanwatchError", "error_payload"]


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
        """The Chinese message a user reads."""
        return str(self)


def error_payload(error: PlanwatchError) -> dict[str, str | None]:
    """The JSON shape every interface answers an error with."""
    return {"code": error.code, "message": error.message, "place": error.place}
