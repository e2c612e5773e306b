"""The nonconformities app's pages; each module registers its declarations on import."""

from nonconformities import (  # noqa: F401
    api,
    views_analysis,
    views_children,
    views_dashboard,
    views_events,
    views_public,
    views_similar,
)
