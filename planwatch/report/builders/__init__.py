"""One builder per report kind; each turns ``ReportData`` into a report ``Document``."""

from planwatch.report.builders.annual import build_annual
from planwatch.report.builders.compendium import build_compendium
from planwatch.report.builders.evaluation import build_evaluation
from planwatch.report.builders.units import build_units
from planwatch.report.builders.warnings import build_warnings

__all__ = ["build_annual", "build_compendium", "build_evaluation", "build_units", "build_warnings"]
