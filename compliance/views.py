"""The compliance app's pages: each area declares its own (``views_checks``, ``views_documents``)."""

from compliance import views_checks, views_documents  # noqa: F401  (registers the declarations)
