"""Marking reports built from a demo workspace as 示例数据（非真实统计）.

The demo fills the real districts' plans (real names, document numbers, issuing
offices) with synthetic figures, so a demo report is indistinguishable from a real one
unless it says so: on the title page, in every page header and in the file's metadata,
where a search or a document management system sees it even when nobody opens the file.
A workspace is a demo when its workspace.yaml carries the ``demo`` section that
``planwatch demo`` writes; a real workspace has none and its reports carry no mark.
"""

from __future__ import annotations

from typing import Any

SAMPLE_LABEL = "示例数据（非真实统计）"
"""The words every demo report carries, exactly as the issue asks for them."""


def sample_label(config: Any) -> str:
    """``SAMPLE_LABEL`` for a demo workspace's configuration, "" for a real one.

    ``config`` is the workspace's configuration object (``WorkspaceConfig``, which keeps
    unknown sections such as ``demo`` as extra attributes) or a plain mapping.
    """
    section = config.get("demo") if isinstance(config, dict) else getattr(config, "demo", None)
    return SAMPLE_LABEL if section else ""


def marked_title(title: str, label: str) -> str:
    """The title as file metadata shows it: 【示例数据（非真实统计）】 first, so a list of
    documents sorted or truncated by title still shows the mark."""
    return f"【{label}】{title}" if label else title
