"""Reads of the referential and the evaluations: querysets for the pages and the API, a site's
facts and what they make applicable, what changed between two versions of a text."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from compliance import conditions
from compliance.choices import ApplicabilityStatus
from compliance.models import (
    Applicability,
    Evaluation,
    IcpeClassification,
    Interlocutor,
    Requirement,
    SiteProfile,
    Text,
    TextVersion,
)


def text_queryset():
    return Text.objects.annotate(requirement_count=Count("requirements", filter=Q(requirements__archived_at__isnull=True)))


def version_queryset():
    return TextVersion.objects.select_related("text")


def requirement_queryset():
    return Requirement.objects.select_related("text")


def applicability_queryset():
    return Applicability.objects.select_related("requirement__text", "site", "process")


def evaluation_queryset():
    return Evaluation.objects.select_related("requirement__text", "site", "evaluator")


def profile_queryset():
    return SiteProfile.objects.select_related("site")


def classification_queryset():
    return IcpeClassification.objects.select_related("site")


def interlocutor_queryset():
    return Interlocutor.objects.select_related("site")


def site_facts(site, *, user) -> conditions.SiteFacts:
    """The facts of a site that decide applicability: headcount (on the site), activities
    (its profile) and ICPE classifications (two queries)."""
    profile = SiteProfile.objects.restrict(user, "view").filter(site=site, archived_at__isnull=True).first()
    rows = IcpeClassification.objects.restrict(user, "view").filter(site=site, archived_at__isnull=True)
    return conditions.SiteFacts(
        headcount=site.headcount,
        activities=frozenset(profile.activities if profile else ()),
        classifications=tuple(conditions.Classification(c.rubrique, c.regime, c.dated_on) for c in rows),
    )


@dataclass
class Suggestion:
    requirement: Requirement
    verdict: conditions.Verdict
    decision: Applicability | None

    @property
    def suggested_status(self) -> str | None:
        if self.verdict.applies is None:
            return None
        return ApplicabilityStatus.APPLICABLE if self.verdict.applies else ApplicabilityStatus.NOT_APPLICABLE

    @property
    def disagrees(self) -> bool:
        """The facts say otherwise than the recorded decision (or nothing is recorded yet)."""
        if self.suggested_status is None:
            return self.decision is None
        if self.decision is None:
            return True
        decided = self.decision.status
        return (decided == ApplicabilityStatus.NOT_APPLICABLE) != (self.suggested_status == ApplicabilityStatus.NOT_APPLICABLE)


def applicability_suggestions(site, *, user, facts: conditions.SiteFacts | None = None) -> list[Suggestion]:
    """Every requirement with what the site's facts (or the ``facts`` given, to see what a
    change of fact would do) say about it, beside the decision recorded for the site."""
    facts = facts if facts is not None else site_facts(site, user=user)
    decisions = {
        a.requirement_id: a
        for a in Applicability.objects.restrict(user, "view").filter(site=site, process__isnull=True, archived_at__isnull=True)
    }
    requirements = requirement_queryset().restrict(user, "view").filter(archived_at__isnull=True, text__archived_at__isnull=True)
    return [Suggestion(r, conditions.evaluate(r.conditions, facts), decisions.get(r.pk)) for r in requirements]


def fact_change_effect(site, *, user, changed: conditions.SiteFacts) -> dict[str, list[Suggestion]]:
    """What changes when a fact changes: the requirements the changed facts would make
    applicable, and those they would no longer make applicable."""
    before = {s.requirement.pk: s for s in applicability_suggestions(site, user=user)}
    after = applicability_suggestions(site, user=user, facts=changed)
    gained = [s for s in after if s.verdict.applies is True and before[s.requirement.pk].verdict.applies is not True]
    lost = [s for s in after if s.verdict.applies is False and before[s.requirement.pk].verdict.applies is not False]
    return {"gained": gained, "lost": lost}


def version_diff(version: TextVersion) -> list[dict]:
    """What changed from the previous version of the text to this one, field by field, as
    unified-diff lines (``+`` added, ``-`` removed); empty for a first version."""
    previous = (TextVersion.objects.filter(text_id=version.text_id, number__lt=version.number)
                .order_by("-number").first())
    if previous is None:
        return []
    parts = []
    for name in ("summary", "articles"):
        old, new = getattr(previous, name).splitlines(), getattr(version, name).splitlines()
        if old == new:
            continue
        lines = [
            {"kind": line[0] if line[0] in "+-" else " ", "text": line[1:]}
            for line in difflib.unified_diff(old, new, lineterm="", n=2)
            if not line.startswith(("---", "+++", "@@"))
        ]
        parts.append({"field": TextVersion._meta.get_field(name).verbose_name, "previous": previous.number,
                      "lines": lines})
    return parts


def requirement_detail(requirement: Requirement, *, user) -> dict:
    """A requirement's decisions per site and its current evaluations."""
    return {
        "applicabilities": applicability_queryset().restrict(user, "view").filter(
            requirement=requirement, archived_at__isnull=True),
        "evaluations": evaluation_queryset().restrict(user, "view").filter(
            requirement=requirement, archived_at__isnull=True).order_by("-is_current", "-evaluated_on"),
    }


def text_detail(text: Text, *, user) -> dict:
    requirements = requirement_queryset().restrict(user, "view").filter(text=text, archived_at__isnull=True)
    versions = version_queryset().restrict(user, "view").filter(text=text).order_by("-number")
    return {"requirements": requirements, "versions": versions}


def evaluations_overdue(*, user, today: datetime.date):
    """Current evaluations whose next one is past due."""
    return evaluation_queryset().restrict(user, "view").filter(
        is_current=True, archived_at__isnull=True, next_due_on__lt=today).order_by("next_due_on")


def current_evaluations_prefetch(user):
    return Prefetch("evaluations", queryset=Evaluation.objects.restrict(user, "view").filter(is_current=True),
                    to_attr="current_evaluations")
