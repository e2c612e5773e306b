"""PDF context builder for the context of the organization: chapter 4 of the management-system
manual, as plain data read through ``context.selectors.context_chapter``."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy

from context import selectors
from context.choices import IssueEffect, PartyPriority
from context.scoring import HIGH_FROM
from qse.models import Organization
from qse.reports import register_report

# The influence x interest grid as it is drawn: high influence on top, high interest on the right.
PRIORITY_GRID = [
    (PartyPriority.KEEP_SATISFIED, PartyPriority.MANAGE_CLOSELY),
    (PartyPriority.MONITOR, PartyPriority.KEEP_INFORMED),
]


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _statement(kind: str, label, statement) -> dict:
    if statement is None:
        return {"kind": kind, "label": label, "text": ""}
    return {
        "kind": kind, "label": label, "text": statement.text, "version": statement.version_number,
        "approved_on": statement.approved_on, "approved_by": _person(statement.approved_by),
        "standards": statement.standards, "sites": [str(site) for site in statement.sites.all()],
        "activities": statement.activities, "exclusions": statement.exclusions,
    }


def _issue(issue) -> dict:
    return {
        "title": issue.title, "description": issue.description, "effect": issue.get_effect_display(),
        "is_positive": issue.effect == IssueEffect.POSITIVE, "importance": issue.importance,
        "processes": [process.code for process in issue.processes.all()],
    }


def _party(party) -> dict:
    return {
        "name": party.name, "category": party.get_category_display(), "influence": party.influence,
        "interest": party.interest, "priority": party.priority, "priority_label": party.priority.label,
        "expectations": [
            {"text": e.text, "is_compliance_obligation": e.is_compliance_obligation,
             "processes": [process.code for process in e.processes.all()]}
            for e in party.expectations.all()
        ],
    }


def _climate(decision) -> dict | None:
    if decision is None:
        return None
    return {
        "is_relevant": decision.is_relevant, "justification": decision.justification,
        "physical": decision.physical_risks_considered, "transition": decision.transition_risks_considered,
        "parties": decision.parties_requirements, "decided_on": decision.decided_on,
        "decided_by": _person(decision.decided_by), "next_review_on": decision.next_review_on,
    }


def context_chapter_context(organization: Organization, user, *, today: datetime.date) -> dict:
    """Chapter 4 for the PDF: a fixed number of queries whatever the number of rows."""
    chapter = selectors.context_chapter(user=user, today=today)
    parties = [_party(party) for party in chapter.parties]
    grid = [
        [{"priority": priority, "label": priority.label,
          "names": [p["name"] for p in parties if p["priority"] == priority]} for priority in row]
        for row in PRIORITY_GRID
    ]
    return {
        "statements": [_statement(kind, label, statement) for kind, label, statement in chapter.statement_rows],
        "internal_issues": [_issue(issue) for issue in chapter.internal_issues],
        "external_issues": [(label, [_issue(issue) for issue in issues])
                            for label, issues in chapter.external_issues_by_pestel],
        "swot": [(value, label, [item.text for item in items]) for value, label, items in chapter.swot],
        "parties": parties,
        "party_grid": grid,
        "high_from": HIGH_FROM,
        "climate": _climate(chapter.climate),
        "climate_review_due": chapter.climate_review_due,
        "today": today,
    }


register_report(
    "context.chapter",
    model=Organization,
    title=gettext_lazy("Context of the organization"),
    context_builder=context_chapter_context,
    template="context/pdf/context_chapter.html",
)
