"""PDF context builders for risks (plain data): the published Document unique."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy

from qse.reports import register_report
from risks.models import DuerpVersion
from risks.selectors_duerp import duerp_snapshot_display


def duerp_version_context(version: DuerpVersion, user, *, today: datetime.date) -> dict:
    """A published version, read only from its frozen snapshot."""
    return {
        "version_title": str(version),
        "published_on": version.published_on,
        "published_by": version.published_by.get_full_name() or version.published_by.get_username(),
        "work_units": duerp_snapshot_display(version.snapshot),
    }


register_report(
    "risks.duerp_version",
    model=DuerpVersion,
    title=gettext_lazy("Document unique (DUERP)"),
    context_builder=duerp_version_context,
    template="risks/pdf/duerp_version.html",
)
