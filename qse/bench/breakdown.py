"""Where a request's time goes: SQL, template rendering, serialization, the rest (Python).

Measured on extra requests of the same run (the timed samples stay uninstrumented): SQL through
``connection.execute_wrapper``, templates by wrapping ``django.template.base.Template.render``,
serialization by wrapping DRF's ``to_representation`` and JSON renderer. Phases nest (a
template's lazy queryset runs its SQL while the template renders): each phase counts only its
own time, its children's time goes to them, so the phases and "other" add up to the total.
"""

from __future__ import annotations

import time
from contextlib import ExitStack, contextmanager

from django.db import connection

PHASES = ("sql", "templates", "serialize")


class Breakdown:
    """Exclusive seconds per phase, accumulated over the requests made while ``recording``."""

    def __init__(self):
        self.seconds = dict.fromkeys(PHASES, 0.0)
        self._stack: list[list] = []  # [phase, started, children's seconds]

    @contextmanager
    def phase(self, name: str):
        frame = [name, time.perf_counter(), 0.0]
        self._stack.append(frame)
        try:
            yield
        finally:
            self._stack.pop()
            elapsed = time.perf_counter() - frame[1]
            self.seconds[name] += elapsed - frame[2]
            if self._stack:
                self._stack[-1][2] += elapsed

    def _sql(self, execute, sql, params, many, context):
        with self.phase("sql"):
            return execute(sql, params, many, context)

    def _wrap(self, owner, attribute: str, name: str):
        """Replace ``owner.attribute`` by a timed version for as long as the returned callback is not called."""
        original = owner.__dict__[attribute]
        breakdown = self

        def timed(*args, **kwargs):
            with breakdown.phase(name):
                return original(*args, **kwargs)

        setattr(owner, attribute, timed)
        return lambda: setattr(owner, attribute, original)

    @contextmanager
    def recording(self):
        """Time every SQL statement, template render and serialization until the block ends."""
        from django.template.base import Template
        from rest_framework import renderers, serializers

        with ExitStack() as stack:
            stack.enter_context(connection.execute_wrapper(self._sql))
            stack.callback(self._wrap(Template, "render", "templates"))
            stack.callback(self._wrap(serializers.Serializer, "to_representation", "serialize"))
            stack.callback(self._wrap(serializers.ListSerializer, "to_representation", "serialize"))
            stack.callback(self._wrap(renderers.JSONRenderer, "render", "serialize"))
            yield self

    def as_ms(self, total_seconds: float, runs: int = 1) -> dict:
        """Milliseconds per request: each phase, and "other" for what is left of the total."""
        per_run = {name: seconds / runs * 1000 for name, seconds in self.seconds.items()}
        total = total_seconds / runs * 1000
        return {"total_ms": round(total, 2), **{f"{name}_ms": round(ms, 2) for name, ms in per_run.items()},
                "other_ms": round(max(0.0, total - sum(per_run.values())), 2)}


def measure_breakdown(function, runs: int) -> dict:
    """The fastest of ``runs`` instrumented calls (the least disturbed by the machine's other
    load), as milliseconds per phase."""
    best = None
    for _ in range(runs):
        breakdown = Breakdown()
        with breakdown.recording():
            started = time.perf_counter()
            function()
            total = time.perf_counter() - started
        measured = breakdown.as_ms(total)
        if best is None or measured["total_ms"] < best["total_ms"]:
            best = measured
    return best
