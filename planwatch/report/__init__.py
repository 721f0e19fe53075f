"""Reports: annual monitoring, mid-term and final evaluations, warnings, compendium, unit matrix.

Builders (``planwatch.report.builders``) turn the assessment into a report model
(``planwatch.report.model``); writers render that model as Word, HTML, PDF and Excel.
"""

from planwatch.report.data import ReportData, ReportDataError
from planwatch.report.kinds import DEFAULT_FORMATS, KINDS, generate, plan_jobs, run_jobs
from planwatch.report.model import Chart, Column, Document, Paragraph, Section, Series, Table
from planwatch.report.output import FORMATS, write_document

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "KINDS",
    "Chart",
    "Column",
    "Document",
    "Paragraph",
    "ReportData",
    "ReportDataError",
    "Section",
    "Series",
    "Table",
    "generate",
    "plan_jobs",
    "run_jobs",
    "write_document",
]
