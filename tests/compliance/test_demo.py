"""The demo's regulatory watch: what the issue's "Done means" asks of it."""

import datetime

from django.contrib.contenttypes.models import ContentType

from compliance.models import (
    Applicability,
    Evaluation,
    PollRun,
    Source,
    Text,
    TextVersion,
    WatchItem,
)
from improvement.models import Action
from qse.demo import seed_demo
from qse.models import Organization, Site


def test_the_demo_has_a_living_regulatory_register(db):
    seed_demo(today=datetime.date(2026, 11, 23))
    main = Organization.objects.get(slug="usinage-precis-du-rhone")
    assert Text.objects.filter(organization=main).count() >= 30
    texts_with_requirements = Text.objects.filter(organization=main, requirements__isnull=False).distinct().count()
    assert texts_with_requirements >= 30
    sites = set(Site.objects.filter(organization=main).values_list("pk", flat=True))
    assert set(Applicability.objects.filter(organization=main, status="applicable").values_list("site", flat=True)) == sites
    assert set(Evaluation.objects.filter(organization=main).values_list("status", flat=True)) == {
        "compliant", "non_compliant", "partial", "to_verify", "not_evaluated"}
    gaps = Evaluation.objects.filter(organization=main, status__in=["non_compliant", "partial"])
    linked = Action.objects.filter(origin_type=ContentType.objects.get_for_model(Evaluation), origin_kind="compliance",
                                   origin_id__in=gaps.values("pk"))
    assert linked.count() == gaps.count() > 0
    assert Evaluation.objects.filter(organization=main, needs_reevaluation=True).exists()
    assert TextVersion.objects.filter(organization=main, number=2).exists()
    assert PollRun.objects.filter(organization=main).count() >= 10
    assert Source.objects.filter(organization=main, error_count__gt=0).exists()
    assert set(WatchItem.objects.filter(organization=main).values_list("status", flat=True)) == {
        "new", "relevant", "not_relevant"}
