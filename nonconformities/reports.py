"""PDF reports of events (being built); the analysis reports register in reports_analysis."""

from nonconformities import reports_analysis  # noqa: F401
