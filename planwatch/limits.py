"""How much planwatch reads from one input, and why each bound is where it is.

Every file a unit sends (workbook, CSV) and every YAML a statistician edits is read with
these bounds, checked before the expensive part (a workbook's zip members are measured
before any XML is parsed), so a hostile or broken file costs seconds and megabytes, not
minutes and gigabytes. The defaults are far above what a real submission needs — a
district unit's workbook is a few hundred rows and a few dozen kilobytes — and each can be
raised in the workspace's ``workspace.yaml`` under ``limits:`` (see the README, 输入限制).

This module imports nothing from planwatch but the error family: every layer reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from planwatch.errors import PlanwatchError


class LimitsConfigError(PlanwatchError, ValueError):
    """The ``limits:`` section of workspace.yaml names an unknown limit or a bad value."""

    code = "limits.config"


@dataclass(frozen=True)
class Limits:
    """The bounds; field docstrings say what each protects against."""

    file_bytes: int = 20_000_000
    """Largest workbook or CSV file read (20 MB; a filled template is ~30 KB)."""
    unpacked_bytes: int = 100_000_000
    """Largest total uncompressed size of a workbook's zip members (a zip bomb unpacks to GB)."""
    unpacked_ratio: int = 200
    """Largest compression ratio of one zip member above 1 MB (XML packs ~10:1; bombs 1000:1)."""
    rows: int = 20_000
    """Most data rows read from one file (one unit reports a few hundred)."""
    cell_chars: int = 1_000
    """Longest text in a code, breakdown or number cell."""
    note_chars: int = 2_000
    """Longest 备注 / evidence text (a paragraph; an attachment goes to ``document add``)."""
    problems_listed: int = 50
    """Problems shown per file; the rest are counted as “另有 M 个问题”."""
    magnitude: float = 1e12
    """Largest absolute figure accepted (beyond, a typo or garbage: China has 1.4e9 people)."""
    yaml_bytes: int = 10_000_000
    """Largest catalogue or workspace YAML read."""
    yaml_depth: int = 40
    """Deepest nesting of YAML collections (the catalogue needs 6)."""


DEFAULT = Limits()


def limits_from_config(section: Any, *, source: str = "workspace.yaml") -> Limits:
    """The ``limits:`` mapping of workspace.yaml over the defaults; unknown keys refused."""
    if section is None:
        return DEFAULT
    if not isinstance(section, dict):
        raise LimitsConfigError(f"{source}：limits 应为映射 expected a mapping under limits:")
    known = {f.name: f for f in fields(Limits)}
    changes: dict[str, Any] = {}
    for key, value in section.items():
        if key not in known:
            raise LimitsConfigError(
                f"{source}：未知的限制 limits.{key}（可用：{'、'.join(known)}） unknown limit"
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise LimitsConfigError(f"{source}：limits.{key} 应为正数，实为 {value!r} (expected a positive number)")
        changes[key] = float(value) if key == "magnitude" else int(value)
    return replace(DEFAULT, **changes)


def workspace_limits(config: Any) -> Limits:
    """The limits of a workspace's configuration (its free-form ``limits:`` section)."""
    extra = getattr(config, "model_extra", None) or {}
    return limits_from_config(extra.get("limits"))
