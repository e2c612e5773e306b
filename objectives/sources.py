"""Where an indicator's values come from: a small registry of source kinds.

A source kind is registered once (``register_source``) with a provider: given an indicator
and a period, it returns the period's value (or None when there is nothing to compute), read
through the selectors of the app that owns the data, under the indicator owner's rights.
"manual" has no provider: its values are entered by hand or imported. This app registers
its computed kinds in ``AppConfig.ready``; other apps (compliance's compliance rate, risks'
environmental performance, the sensors' roll-ups) register theirs from their own ``ready``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext_lazy as _

MANUAL = "manual"


class Provider(Protocol):
    def __call__(self, *, indicator, start: datetime.date, end: datetime.date) -> Decimal | None:
        """The indicator's value for the days ``start`` to ``end`` (both included)."""


@dataclass(frozen=True)
class Source:
    kind: str
    label: object
    provider: Provider | None  # None: values are entered by hand or imported
    parameter_help: object = ""  # what ``Indicator.source_parameter`` means for this kind, if used
    check_parameter: Callable[[str], bool] | None = None


_sources: dict[str, Source] = {}


def register_source(kind: str, provider: Provider | None, *, label, parameter_help="",
                    check_parameter: Callable[[str], bool] | None = None) -> None:
    """Declare a source kind (idempotent for the same provider; a second provider is an error)."""
    existing = _sources.get(kind)
    if existing is not None and existing.provider is not provider:
        raise ValueError(f"source {kind!r} is already registered")
    _sources[kind] = Source(kind, label, provider, parameter_help, check_parameter)


def source_for(kind: str) -> Source | None:
    return _sources.get(kind)


def source_choices() -> list[tuple[str, object]]:
    """(kind, label) of every registered source, manual first."""
    return sorted(((s.kind, s.label) for s in _sources.values()), key=lambda c: (c[0] != MANUAL, str(c[1])))


def is_computed(kind: str) -> bool:
    source = _sources.get(kind)
    return source is not None and source.provider is not None


def register_builtin_sources() -> None:
    """The manual source and the ones computed from this application's actions and events."""
    from objectives import computed

    register_source(MANUAL, None, label=_("Entered by hand or imported"))
    for kind, (label, provider, help_text, check) in computed.PROVIDERS.items():
        register_source(kind, provider, label=label, parameter_help=help_text, check_parameter=check)
