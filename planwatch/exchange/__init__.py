"""Exchanging figures with other systems and other levels of government.

``structure`` describes a workspace's catalogue as an SDMX data structure (DSD and
codelists); ``sdmx`` writes a workspace's approved figures as SDMX-CSV 2.0 and reads
SDMX-CSV files into the importer's :class:`~planwatch.collect.rows.ParsedFile` parts, so they
pass the same checks as an Excel workbook; ``tables`` writes the same figures as CSV or
Excel for people; ``pull`` brings a district's approved figures into a city's workspace with
their provenance, and ``citywide`` rolls them up and assesses the city.

The package sits above ``store``, ``collect`` and ``assess`` and below ``api``: it uses them,
and nothing in the core imports it.
"""
