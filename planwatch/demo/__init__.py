"""The demo workspace: two seed plans and five years of clearly labelled synthetic figures."""

from planwatch.demo.build import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
