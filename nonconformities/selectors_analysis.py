"""Reads of an event's root-cause analysis (being built)."""


def event_analysis(*, user, event) -> dict:
    """What the event page shows of the analysis: 5 whys, Ishikawa, root causes, 8D, A3."""
    return {}
