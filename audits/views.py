"""The audits app's pages, discovered by the registry: question banks and the checklist's
building (views_banks, views_checklist) and the supplier register (views_suppliers)."""

from audits import views_banks, views_checklist, views_suppliers  # noqa: F401
