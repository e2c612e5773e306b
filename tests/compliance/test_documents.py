"""Documents under control: a version's file is checked and frozen once it leaves the draft,
the named reviewer and approver sign (who, when, meaning), approval makes the previous
version obsolete but retrievable, and the distribution list acknowledges its reading."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance import selectors_documents, services_documents
from compliance.choices import VersionStatus
from compliance.factories_controls import ControlledDocumentFactory, DocumentVersionFactory
from compliance.models import DocumentSignature, DocumentVersion, ReadAcknowledgement
from qse.roles import Role

NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=datetime.UTC)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name="procedure.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def document(world):
    users = world.a.users
    document = ControlledDocumentFactory(organization=world.a.organization, owner=users[Role.COORDINATOR],
                                         reference="PR-ENV-01", title="Gestion des déchets", review_months=24)
    document.distribution.set([users[Role.PROCESS_OWNER], users[Role.CONTRIBUTOR]])
    return document


def _draft(world, document, number=1):
    users = world.a.users
    return DocumentVersionFactory(organization=world.a.organization, document=document, number=number,
                                  author=users[Role.COORDINATOR], reviewer=users[Role.MANAGEMENT], approver=users[Role.ADMIN])


def _approved(world, as_member, document, number=1):
    version = _draft(world, document, number)
    services_documents.document_version_attach_file(version=version, acting_user=as_member(Role.COORDINATOR), upload=pdf())
    services_documents.document_version_submit(version=version, acting_user=as_member(Role.COORDINATOR))
    services_documents.document_version_sign(version=version, acting_user=as_member(Role.MANAGEMENT), meaning="reviewed", now=NOW)
    services_documents.document_version_sign(version=version, acting_user=as_member(Role.ADMIN), meaning="approved", now=NOW)
    version.refresh_from_db()
    return version


def test_a_version_goes_from_draft_to_approved_through_the_named_signatures(world, as_member, document):
    version = _approved(world, as_member, document)
    assert version.status == VersionStatus.APPROVED and version.approved_at == NOW
    signatures = list(DocumentSignature.objects.filter(document_version=version).order_by("pk")
                      .values_list("signer__username", "meaning", "signed_at"))
    assert signatures == [("alpha-management", "reviewed", NOW), ("alpha-admin", "approved", NOW)]
    document.refresh_from_db()
    assert document.review_due_on == datetime.date(2028, 11, 23)


def test_only_the_named_reviewer_signs_the_review_and_the_approval_waits_for_it(world, as_member, document):
    version = _draft(world, document)
    services_documents.document_version_attach_file(version=version, acting_user=as_member(Role.COORDINATOR), upload=pdf())
    services_documents.document_version_submit(version=version, acting_user=as_member(Role.COORDINATOR))
    with pytest.raises(PermissionDenied):
        services_documents.document_version_sign(version=version, acting_user=as_member(Role.COORDINATOR),
                                                 meaning="reviewed", now=NOW)
    with pytest.raises(ValidationError, match="Le vérificateur doit signer avant l'approbation."):
        services_documents.document_version_sign(version=version, acting_user=as_member(Role.ADMIN),
                                                 meaning="approved", now=NOW)
    assert not DocumentSignature.objects.exists()


def test_sending_back_needs_a_comment_returns_to_draft_and_asks_for_a_new_review(world, as_member, document):
    version = _draft(world, document)
    services_documents.document_version_attach_file(version=version, acting_user=as_member(Role.COORDINATOR), upload=pdf())
    services_documents.document_version_submit(version=version, acting_user=as_member(Role.COORDINATOR))
    services_documents.document_version_sign(version=version, acting_user=as_member(Role.MANAGEMENT), meaning="reviewed", now=NOW)
    with pytest.raises(ValidationError):
        services_documents.document_version_sign(version=version, acting_user=as_member(Role.ADMIN), meaning="rejected", now=NOW)
    services_documents.document_version_sign(version=version, acting_user=as_member(Role.ADMIN), meaning="rejected",
                                             comment="Ajouter le tri des biodéchets", now=NOW)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    services_documents.document_version_submit(version=version, acting_user=as_member(Role.COORDINATOR))
    with pytest.raises(ValidationError, match="Le vérificateur doit signer avant l'approbation."):
        services_documents.document_version_sign(version=version, acting_user=as_member(Role.ADMIN),
                                                 meaning="approved", now=NOW)


def test_approving_a_new_version_makes_the_previous_one_obsolete_and_it_stays_retrievable(client, world, as_member, document):
    first = _approved(world, as_member, document, number=1)
    second = _approved(world, as_member, document, number=2)
    first.refresh_from_db()
    assert (first.status, second.status) == (VersionStatus.OBSOLETE, VersionStatus.APPROVED)
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Obsolète depuis" in page or "Obsolete since" in page
    assert client.get(first.get_file_url()).status_code == 200
    assert b"".join(client.get(f"/api/v1/compliance/document-versions/{first.pk}/file/").streaming_content) == PDF


def test_the_approved_versions_file_cannot_be_replaced_on_the_page_or_through_the_api(client, world, as_member, document):
    version = _approved(world, as_member, document)
    client.force_login(world.user())
    page = client.post(f"/compliance/document-versions/{version.pk}/upload/", {"file": pdf("autre.pdf", PDF + b"x")})
    assert page.status_code == 302
    api = client.post(f"/api/v1/compliance/document-versions/{version.pk}/upload/", {"file": pdf("autre.pdf", PDF + b"y")})
    assert api.status_code == 400
    assert "créez une nouvelle version" in api.content.decode()
    version.refresh_from_db()
    assert version.file.read() == PDF and version.file_name == "procedure.pdf"


def test_an_approved_version_is_neither_edited_nor_withdrawn(client, world, as_member, document):
    version = _approved(world, as_member, document)
    client.force_login(world.user())
    response = client.patch(f"/api/v1/compliance/document-versions/{version.pk}/",
                            {"change_summary": "réécrit", "version": version.version}, content_type="application/json")
    assert response.status_code == 400
    assert client.post(f"/api/v1/compliance/document-versions/{version.pk}/archive/").status_code == 400
    version.refresh_from_db()
    assert version.change_summary == "Création" and version.archived_at is None


def test_a_file_is_checked_by_its_content(world, as_member, document):
    version = _draft(world, document)
    with pytest.raises(ValidationError, match="ne correspond pas à son extension"):
        services_documents.document_version_attach_file(
            version=version, acting_user=as_member(Role.COORDINATOR), upload=pdf("procedure.pdf", b"<html>hello</html>"))
    version.refresh_from_db()
    assert not version.file


def test_a_draft_without_file_cannot_be_sent_for_review(world, as_member, document):
    version = _draft(world, document)
    with pytest.raises(ValidationError, match="Joignez le fichier de la version"):
        services_documents.document_version_submit(version=version, acting_user=as_member(Role.COORDINATOR))


def test_one_version_is_in_preparation_at_a_time(client, world, document):
    _draft(world, document)
    client.force_login(world.user())
    response = client.post("/compliance/document-versions/add/", {
        "document": document.pk, "change_summary": "Seconde", "author": world.user().pk, "approver": world.user().pk})
    assert response.status_code == 400
    assert DocumentVersion.objects.filter(document=document).count() == 1


def test_the_distribution_list_acknowledges_from_the_home_and_the_document_shows_who_has_not(client, world, as_member, document):
    version = _approved(world, as_member, document)
    owner = world.a.users[Role.PROCESS_OWNER]
    client.force_login(owner)
    home = client.get("/improvement/mine/").content.decode()
    assert 'data-testid="documents-to-read"' in home and "PR-ENV-01" in home
    response = client.post(f"/compliance/document-versions/{version.pk}/acknowledge/", {"next": "/improvement/mine/"})
    assert response.status_code == 302 and response["Location"] == "/improvement/mine/"
    assert 'data-testid="documents-to-read"' not in client.get("/improvement/mine/").content.decode()
    readers = {reader.user.pk: reader.acknowledged_at is not None for reader in selectors_documents.reading_status(version)}
    assert readers == {owner.pk: True, world.a.users[Role.CONTRIBUTOR].pk: False}
    client.force_login(world.user())
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'data-testid="readers"' in page


def test_someone_outside_the_distribution_list_cannot_acknowledge(client, world, as_member, document):
    version = _approved(world, as_member, document)
    client.force_login(world.a.users[Role.AUDITOR])
    assert client.post(f"/api/v1/compliance/document-versions/{version.pk}/acknowledge/").status_code == 403
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.post(f"/api/v1/compliance/document-versions/{version.pk}/acknowledge/").status_code == 201
    assert client.post(f"/api/v1/compliance/document-versions/{version.pk}/acknowledge/").status_code == 201  # once
    assert ReadAcknowledgement.objects.filter(document_version=version).count() == 1


def test_another_organizations_version_answers_404_to_every_step(client, world):
    theirs_document = ControlledDocumentFactory(organization=world.b.organization, owner=world.b.users[Role.COORDINATOR])
    theirs = DocumentVersionFactory(organization=world.b.organization, document=theirs_document)
    client.force_login(world.user())
    for step in ("upload", "submit", "sign", "acknowledge"):
        assert client.post(f"/compliance/document-versions/{theirs.pk}/{step}/").status_code == 404, step
        assert client.post(f"/api/v1/compliance/document-versions/{theirs.pk}/{step}/").status_code == 404, step
    assert client.get(f"/compliance/document-versions/{theirs.pk}/file/").status_code == 404


def test_the_api_runs_the_whole_approval(client, world, document):
    users = world.a.users
    client.force_login(users[Role.COORDINATOR])
    created = client.post("/api/v1/compliance/document-versions/", {
        "document": document.pk, "change_summary": "Création", "author": users[Role.COORDINATOR].pk,
        "reviewer": users[Role.MANAGEMENT].pk, "approver": users[Role.ADMIN].pk}, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.post(f"/api/v1/compliance/document-versions/{pk}/upload/", {"file": pdf()}).status_code == 200
    assert client.post(f"/api/v1/compliance/document-versions/{pk}/submit/").status_code == 200
    client.force_login(users[Role.MANAGEMENT])
    assert client.post(f"/api/v1/compliance/document-versions/{pk}/sign/", {"meaning": "reviewed"},
                       content_type="application/json").status_code == 201
    client.force_login(users[Role.ADMIN])
    signed = client.post(f"/api/v1/compliance/document-versions/{pk}/sign/", {"meaning": "approved"},
                         content_type="application/json")
    assert signed.status_code == 201
    body = signed.json()
    assert body["status"] == "approved" and [s["meaning"] for s in body["signatures"]] == ["reviewed", "approved"]
    detail = client.get(f"/api/v1/compliance/document-versions/{pk}/").json()
    assert {r["user"] for r in detail["readers"]} == {users[Role.PROCESS_OWNER].pk, users[Role.CONTRIBUTOR].pk}


def test_a_file_over_the_size_limit_is_refused_with_its_reason_on_the_page(client, world, document, settings):
    settings.QSE_UPLOAD_MAX_BYTES = 20
    version = _draft(world, document)
    client.force_login(world.user())
    response = client.post(f"/compliance/document-versions/{version.pk}/upload/", {"file": pdf()}, follow=True)
    assert "Le fichier est trop volumineux" in response.content.decode() or "too large" in response.content.decode()
    version.refresh_from_db()
    assert not version.file
