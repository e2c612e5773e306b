"""Similar past events, found by trigram similarity (pg_trgm), and possible recurrences.

The score of a past event is the best of:
- how much of its title is found in the new text (``word_similarity(title, text)``),
- how much of its description is found in the new text,
- how much of the new text is found in its description.
Measured on French paraphrases of plant events, related texts score 0.4-0.7 and unrelated
ones under 0.22, hence the default threshold.
"""

from __future__ import annotations

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import F, Value
from django.db.models.functions import Greatest

from nonconformities.choices import EventStatus
from nonconformities.models import Event

THRESHOLD = 0.35
MIN_LENGTH = 4
MAX_LENGTH = 1000


def similar_events(
    *, user, text: str, exclude_pk: int | None = None, limit: int = 5, threshold: float = THRESHOLD
) -> list[Event]:
    """The events of the user's organization most similar to ``text``, best first, each with
    its ``similarity`` (0-1). Archived events and ``exclude_pk`` (the event being edited)
    are left out."""
    text = " ".join((text or "").split())[:MAX_LENGTH]
    if len(text) < MIN_LENGTH:
        return []
    typed = Value(text)
    events = (
        Event.objects.restrict(user, "view")
        .filter(archived_at__isnull=True)
        .annotate(
            similarity=Greatest(
                TrigramWordSimilarity(F("title"), typed),
                TrigramWordSimilarity(F("description"), typed),
                TrigramWordSimilarity(typed, F("description")),
            )
        )
        .filter(similarity__gte=threshold)
        .select_related("process", "site")
        .order_by("-similarity", "-occurred_at", "-pk")
    )
    if exclude_pk:
        events = events.exclude(pk=exclude_pk)
    return list(events[:limit])


def possible_recurrences(similar: list[Event], *, process_id: int | None, product: str) -> list[Event]:
    """Closed similar events of the same process or product: the problem may be back."""
    product = (product or "").strip().casefold()
    return [
        event for event in similar
        if event.status == EventStatus.CLOSED
        and ((process_id and event.process_id == process_id) or (product and event.product.strip().casefold() == product))
    ]
