"""Which fields an event asks for, by type, as data: an accident's victim and lost time only
for accidents, the customer or supplier for complaints and supplier nonconformities, costs where
a cost of non-quality means something.

Pure: the event form drops (server side) the groups its type does not use and marks the others
for ``static/nonconformities/event_form.js``, which shows and hides them when the type changes
before saving. The tests read the same table.
"""

from __future__ import annotations

from nonconformities.choices import EventType

# Fields every event asks for are not listed: type, title, description, dates, site, process,
# detection method, reporter's name, severity, person in charge, recurrence.
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "product": ("product", "quantity_affected"),
    "third_party": ("supplier", "third_party", "third_party_reference"),
    "requirement": ("requirement_kind", "requirement"),
    "costs": ("cost_scrap", "cost_rework", "cost_downtime", "cost_penalties", "cost_other"),
    "accident": ("victim", "lost_time", "days_lost", "declared_on"),
}

T = EventType
GROUPS_BY_TYPE: dict[str, tuple[str, ...]] = {
    T.INTERNAL_NC: ("product", "requirement", "costs"),
    T.CUSTOMER_COMPLAINT: ("third_party", "product", "requirement", "costs"),
    T.SUPPLIER_NC: ("third_party", "product", "requirement", "costs"),
    T.AUDIT_FINDING: ("requirement",),
    T.REGULATORY_DEVIATION: ("requirement", "costs"),
    T.INCIDENT: ("product", "costs"),
    T.NEAR_MISS: ("product",),
    T.WORK_ACCIDENT: ("accident",),
    T.COMMUTING_ACCIDENT: ("accident",),
    T.OCCUPATIONAL_DISEASE: ("accident",),
    T.ENVIRONMENTAL_INCIDENT: ("requirement", "costs"),
}

GROUP_OF_FIELD: dict[str, str] = {name: group for group, names in FIELD_GROUPS.items() for name in names}


def groups_for(event_type: str | None) -> set[str]:
    """The groups an event of this type asks for; every group while the type is not chosen
    (nothing is hidden from someone who has not said what happened)."""
    if event_type not in GROUPS_BY_TYPE:
        return set(FIELD_GROUPS)
    return set(GROUPS_BY_TYPE[event_type])


def unused_fields(event_type: str | None) -> set[str]:
    """The grouped fields an event of this type does not use."""
    used = groups_for(event_type)
    return {name for name, group in GROUP_OF_FIELD.items() if group not in used}
