"""How people and multi-valued fields read on screen, in one place: form and filter choices,
table cells, exports and detail pages all call these, so a login name or a Python list
never reaches a page."""

from __future__ import annotations

from collections.abc import Iterable


def person_label(user) -> str:
    """A user as people know them: the full name, the login only when no name is recorded."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def choice_labels(field, values: Iterable | None) -> str:
    """The values of a multi-valued field (an ``ArrayField`` of choices) as their translated
    labels, joined: ``["Q", "S"]`` reads "Quality, Health and safety"."""
    choices = dict(getattr(field, "base_field", field).flatchoices)
    return ", ".join(str(choices.get(value, value)) for value in values or ())
