"""The demo organization's periodic checks and controlled documents: both sites, overdue
checks, reports with their files and observations (open and lifted), documents in every
version status with signatures and acknowledgements."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from compliance.choices import VersionStatus
from compliance.models import (
    CheckObservation,
    CheckReport,
    ControlledDocument,
    DocumentSignature,
    DocumentVersion,
    PeriodicCheck,
    ReadAcknowledgement,
)
from improvement.models import Action
from qse.demo import seed_demo
from qse.models import Attachment, Organization


def test_the_demo_has_periodic_checks_with_reports_and_controlled_documents_with_readers(db):
    seed_demo()
    main = Organization.objects.get(slug="usinage-precis-du-rhone")
    today = timezone.localdate()
    checks = PeriodicCheck.objects.filter(organization=main)
    assert {check.site.code for check in checks} == {"LYO", "VIE"}
    assert 2 <= checks.filter(next_due_on__lt=today).count() <= 5
    assert checks.filter(next_due_on__gte=today).exists()
    reports = CheckReport.objects.filter(organization=main, done_on__isnull=False)
    assert reports.count() == checks.count()
    assert Attachment.objects.filter(content_type=ContentType.objects.get_for_model(CheckReport)).count() == reports.count()
    observations = CheckObservation.objects.filter(organization=main)
    assert observations.filter(lifted_on__isnull=True).count() >= 4 and observations.filter(lifted_on__isnull=False).exists()
    with_action = Action.objects.filter(origin_type=ContentType.objects.get_for_model(CheckObservation))
    assert 3 <= with_action.count() < observations.count()  # some observations still wait for their action
    assert ControlledDocument.objects.filter(organization=main).count() == 5
    statuses = set(DocumentVersion.objects.filter(organization=main).values_list("status", flat=True))
    assert statuses == set(VersionStatus.values)
    assert DocumentSignature.objects.filter(organization=main, meaning="approved").count() >= 4
    assert ReadAcknowledgement.objects.filter(organization=main).count() >= 4
    assert ControlledDocument.objects.filter(organization=main, review_due_on__lt=today).exists()
