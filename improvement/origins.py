"""What the record an action comes from does when the action's effectiveness is recorded.

An explicit registry instead of a signal: the app that owns the origin model registers its
reaction in ``AppConfig.ready``, and ``action_record_effectiveness`` calls it inside its own
transaction, so the check and the origin's reaction commit together or not at all. At most
one reaction per origin model; a model without one simply does not react.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import models

if TYPE_CHECKING:
    from improvement.models import Action


class EffectivenessReaction(Protocol):
    def __call__(self, *, origin: models.Model, action: Action, acting_user, result: str) -> None:
        """React to the check of ``action`` (whose origin is ``origin``) recorded as ``result``."""


def origin_fields(record: models.Model) -> dict:
    """The Action fields that point at ``record`` (for creating or re-linking actions)."""
    return {"origin_type": ContentType.objects.get_for_model(record), "origin_id": record.pk}


_reactions: dict[type[models.Model], EffectivenessReaction] = {}


def register_effectiveness_reaction(model: type[models.Model], reaction: EffectivenessReaction) -> None:
    """Declare what a record of ``model`` does when one of its actions is checked."""
    if _reactions.get(model, reaction) is not reaction:
        raise ValueError(f"{model._meta.label} already has an effectiveness reaction")
    _reactions[model] = reaction


def effectiveness_reaction_for(model: type[models.Model]) -> EffectivenessReaction | None:
    return _reactions.get(model)


def react_to_effectiveness(*, action: Action, acting_user, result: str) -> None:
    """Run the reaction of the action's origin, if its model registered one (inside the caller's
    transaction: a failing reaction rolls the check back)."""
    from improvement.selectors import origin_of

    if action.origin_type_id is None:
        return
    model = ContentType.objects.get_for_id(action.origin_type_id).model_class()
    reaction = _reactions.get(model)
    if reaction is None:
        return
    origin = origin_of(action)
    if origin is not None:
        reaction(origin=origin, action=action, acting_user=acting_user, result=result)
