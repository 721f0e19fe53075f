"""Registers the collection fixtures; the helpers live in collect_support (a unique name)."""

from collect_support import cat, cat_any

__all__ = ["cat", "cat_any"]
