"""Management reviews: the clause mapping, collecting (and freezing) the inputs, the steps and
their guards, decisions becoming actions, process reviews, the pages, the API and the Word
export. The generic page / API tests of the two declared models are at the end."""

from __future__ import annotations

import datetime
import io
import re
import subprocess

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from improvement import services_review
from improvement.choices import ActionOriginKind
from improvement.factories import ManagementReviewFactory, ReviewDecisionFactory
from improvement.models import Action, ManagementReview, ReviewDecision, ReviewInput
from improvement.review_views import ManagementReviewViews, ReviewDecisionViews
from nonconformities.choices import EventType
from nonconformities.factories import EventFactory
from qse import reports
from qse.models import GeneratedReport
from qse.review import ReviewSection, clauses, register_section, section
from qse.roles import Role
from qse.testing import ObjectViewsTestCase
from qse.testing_children import ChildViewsTestCase

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)

# Written by hand from ISO 9001:2015 9.3.2, ISO 14001:2015 9.3 and ISO 45001:2018 9.3 (our French
# headings): every required input must be named on the page and in the pack.
HEADINGS_FR = [
    "État des actions décidées lors des revues de direction précédentes",
    "Modifications des enjeux externes et internes pertinents pour le système de management",
    "Satisfaction des clients et retours des parties intéressées pertinentes",
    "Degré de réalisation des objectifs qualité",
    "Performance des processus et conformité des produits et services",
    "Non-conformités et actions correctives",
    "Résultats de la surveillance et de la mesure",
    "Résultats des audits",
    "Performance des prestataires externes",
    "Adéquation des ressources",
    "Efficacité des actions mises en œuvre face aux risques et opportunités",
    "Opportunités d'amélioration",
    "Modifications des enjeux, des besoins et attentes des parties intéressées (dont les obligations de conformité), "
    "des aspects environnementaux significatifs et des risques et opportunités",
    "Degré de réalisation des objectifs environnementaux",
    "Performance environnementale : non-conformités et actions correctives, surveillance et mesure, respect des "
    "obligations de conformité, résultats d'audits",
    "Modifications des enjeux, des besoins et attentes des parties intéressées, des exigences légales et autres "
    "exigences, et des risques et opportunités",
    "Adéquation des ressources pour maintenir un système de management SST efficace",
    "Communications pertinentes des parties intéressées, dont les plaintes",
    "Opportunités d'amélioration continue",
    "Degré de réalisation de la politique et des objectifs SST",
    "Incidents, non-conformités, actions correctives et amélioration continue",
    "Résultats de l'évaluation de la conformité aux exigences légales et autres exigences",
    "Consultation et participation des travailleurs",
    "Risques et opportunités",
    "Communications pertinentes avec les parties intéressées",
]


def _review(world, **extra) -> ManagementReview:
    defaults = dict(organization=world.a.organization, title="Revue de direction 2026", period_start=START,
                    period_end=END)
    return ManagementReviewFactory(**{**defaults, **extra})


def _collected(world, as_member, **extra) -> ManagementReview:
    user = as_member(Role.COORDINATOR)
    return services_review.review_collect_inputs(review=_review(world, **extra), acting_user=user)


def _complaint(world, title="Réclamation client Stellantis"):
    return EventFactory(organization=world.a.organization, site=world.a.site, event_type=EventType.CUSTOMER_COMPLAINT,
                        title=title, occurred_at=datetime.datetime(2026, 3, 4, 10, tzinfo=datetime.UTC))


# --- the clause mapping --------------------------------------------------------------------


def test_the_mapping_names_every_required_input_of_the_three_standards():
    mapped = {clause.standard: [] for clause in clauses()}
    for clause in clauses():
        mapped[clause.standard].append(clause.ref)
    assert mapped["iso9001:2015"] == ["9.3.2 a)", "9.3.2 b)", *[f"9.3.2 c) {n}" for n in range(1, 8)], "9.3.2 d)",
                                      "9.3.2 e)", "9.3.2 f)"]
    assert mapped["iso14001:2015"] == [f"9.3 {letter})" for letter in "abcdefg"]
    assert mapped["iso45001:2018"] == ["9.3 a)", "9.3 b)", "9.3 c)", *[f"9.3 d) {n}" for n in range(1, 7)], "9.3 e)",
                                       "9.3 f)", "9.3 g)"]
    assert set(HEADINGS_FR) == {clause.heading for clause in clauses()}


def test_the_existing_modules_provide_their_sections():
    keys = ["improvement.previous_actions", "context.issues", "context.interested_parties", "context.climate",
            "context.policy", "objectives.objectives", "objectives.monitoring", "objectives.process_performance",
            "nonconformities.nonconformities", "nonconformities.incidents", "nonconformities.customer_feedback",
            "risks.risks_opportunities", "risks.significant_aspects", "risks.environmental_performance",
            "compliance.obligations", "compliance.evaluation"]
    assert [key for key in keys if section(key) is None] == []


# --- collecting freezes the figures ----------------------------------------------------------


def test_collecting_freezes_each_sections_figures_so_a_held_review_shows_what_was_discussed(client, world, as_member):
    _complaint(world)
    review = _collected(world, as_member)
    feedback = review.inputs.get(section_key="nonconformities.customer_feedback")
    assert feedback.payload["en"]["summary"] == "1 customer complaints in the period."
    assert feedback.payload["fr"]["rows"][0][1] == "Réclamation client Stellantis"
    # What happens after the collection does not change the review.
    _complaint(world, "Réclamation client Renault")
    client.force_login(world.user())
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Réclamation client Stellantis" in page and "Réclamation client Renault" not in page
    api = client.get(f"/api/v1/improvement/reviews/{review.pk}/inputs/").json()
    frozen = next(item for item in api if item["section_key"] == "nonconformities.customer_feedback")
    assert frozen["figures"]["rows"] == [feedback.payload["fr"]["rows"][0]]


def test_collecting_again_refreshes_the_figures_and_keeps_the_comments(world, as_member):
    review = _collected(world, as_member)
    user = as_member(Role.COORDINATOR)
    item = review.inputs.get(section_key="nonconformities.customer_feedback")
    services_review.review_input_comment(review_input=item, acting_user=user, comment="Deux clients concernés.")
    _complaint(world)
    services_review.review_collect_inputs(review=review, acting_user=user)
    item.refresh_from_db()
    assert item.comment == "Deux clients concernés."
    assert item.payload["en"]["summary"] == "1 customer complaints in the period."


def test_a_clause_no_module_answers_yet_is_shown_as_not_available_rather_than_dropped(client, world, as_member):
    review = _collected(world, as_member)
    audits = review.inputs.get(section_key="audits.results") if section("audits.results") is None else None
    if audits is not None:
        assert audits.payload is None
    client.force_login(world.user())
    page = client.get(review.get_absolute_url()).content.decode()
    for heading in HEADINGS_FR:
        assert heading.replace("'", "&#x27;") in page, heading
    if section("audits.results") is None:
        assert "Ce module n&#x27;existe pas encore" in page


def test_a_registered_section_is_collected_without_the_review_knowing_its_module(world, as_member):
    from qse import review as registry

    kept = registry.section("audits.results")  # the audits app's own section, put back after
    register_section(ReviewSection(key="audits.results", title="Résultats d'audit (test)",
                                   selector=lambda scope: {"summary": f"Audits du {scope.start:%d/%m/%Y}"}))
    try:
        review = _collected(world, as_member)
        assert review.inputs.get(section_key="audits.results").payload["fr"] == {"summary": "Audits du 01/01/2026"}
    finally:
        registry._SECTIONS.pop("audits.results", None)
        if kept is not None:
            register_section(kept)


# --- steps and guards -------------------------------------------------------------------------


def test_the_steps_follow_draft_collected_held_closed_with_their_guards(world, as_member):
    user = as_member(Role.COORDINATOR)
    review = _review(world)
    with pytest.raises(ValidationError, match="pas possible"):
        services_review.review_advance(review=review, acting_user=user, to_status="held")
    review = services_review.review_collect_inputs(review=review, acting_user=user)
    with pytest.raises(ValidationError) as refused:
        services_review.review_advance(review=review, acting_user=user, to_status="held")
    assert set(refused.value.messages) == {"Indiquez la date à laquelle la revue s'est tenue.",
                                           "Indiquez les participants."}
    ManagementReview.objects.filter(pk=review.pk).update(held_on=datetime.date(2027, 1, 20),
                                                         attendees="M. Durand, directeur")
    review = services_review.review_advance(review=review, acting_user=user, to_status="held")
    with pytest.raises(ValidationError) as refused:
        services_review.review_advance(review=review, acting_user=user, to_status="closed")
    assert len(refused.value.messages) == 2
    ManagementReview.objects.filter(pk=review.pk).update(minutes="Revue tenue.")
    services_review.review_decision_create(review=review, acting_user=user, data={
        "category": "conclusion", "text": "Le système reste pertinent, adéquat et efficace."})
    assert services_review.review_advance(review=review, acting_user=user, to_status="closed").status == "closed"


def test_a_management_review_without_standards_cannot_collect(world, as_member):
    user = as_member(Role.COORDINATOR)
    with pytest.raises(ValidationError, match="référentiels"):
        services_review.review_collect_inputs(review=_review(world, standards=[]), acting_user=user)


def test_a_refused_step_on_the_page_is_a_visible_message(client, world):
    review = _review(world)
    client.force_login(world.user())
    response = client.post(reverse("improvement:managementreview_step", args=[review.pk]), {"status": "closed"},
                           follow=True)
    assert "Cette étape n&#x27;est pas possible" in response.content.decode()
    assert ManagementReview.objects.get(pk=review.pk).status == "draft"


# --- decisions become actions -------------------------------------------------------------------


def test_a_decision_with_an_owner_and_a_due_date_becomes_an_action_whose_origin_is_the_decision(world, as_member):
    review = _collected(world, as_member)
    manager = as_member(Role.MANAGEMENT)
    owner = world.a.users[Role.PROCESS_OWNER]
    decision = services_review.review_decision_create(review=review, acting_user=manager, data={
        "category": "resources", "text": "Recruter un technicien méthodes\nPour le secteur usinage.",
        "owner": owner, "due_on": datetime.date(2027, 6, 30), "communicated_to_workers": True})
    action = Action.objects.get(pk=decision.action_id)
    assert (action.title, action.owner, action.due_on) == ("Recruter un technicien méthodes", owner,
                                                           datetime.date(2027, 6, 30))
    assert action.origin_kind == ActionOriginKind.REVIEW and action.origin == decision
    conclusion = services_review.review_decision_create(review=review, acting_user=manager, data={
        "category": "conclusion", "text": "Système efficace."})
    assert conclusion.action_id is None


def test_a_draft_review_takes_no_decision_and_an_auditor_none_at_all(client, world):
    draft = _review(world)
    client.force_login(world.a.users[Role.MANAGEMENT])
    response = client.post(f"/api/v1/improvement/reviews/{draft.pk}/decisions/",
                           {"category": "improvement", "text": "Trop tôt"}, content_type="application/json")
    assert response.status_code == 400
    collected = _review(world, status="collected")
    client.force_login(world.a.users[Role.AUDITOR])
    response = client.post(f"/api/v1/improvement/reviews/{collected.pk}/decisions/",
                           {"category": "improvement", "text": "Pas mon rôle"}, content_type="application/json")
    assert response.status_code == 403
    assert not ReviewDecision.objects.filter(review__in=[draft, collected]).exists()


def test_previous_reviews_actions_are_an_input_of_the_next_review(world, as_member):
    user = as_member(Role.COORDINATOR)
    earlier = _review(world, title="Revue 2025", period_start=datetime.date(2025, 1, 1),
                      period_end=datetime.date(2025, 12, 31), status="held")
    services_review.review_decision_create(review=earlier, acting_user=user, data={
        "category": "improvement", "text": "Former les régleurs au SMED", "owner": user,
        "due_on": datetime.date(2026, 3, 31)})
    review = _collected(world, as_member)
    figures = review.inputs.get(section_key="improvement.previous_actions").payload["en"]
    assert figures["counts"] == {"total": 1, "done": 0, "open": 1, "late": 1}
    assert figures["rows"][0][:2] == ["Revue 2025", "Former les régleurs au SMED"]


# --- comments (HTMX) ------------------------------------------------------------------------------


def test_the_coordinator_comments_an_input_in_place_and_a_manager_cannot(client, world, as_member):
    review = _collected(world, as_member)
    item = review.inputs.get(section_key="context.issues")
    url = reverse("improvement:managementreview_comment", args=[review.pk])
    client.force_login(world.user())
    response = client.post(url, {"input": item.pk, "comment": "Énergie : enjeu majeur.", "version": item.version},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Énergie : enjeu majeur." in response.content.decode()
    item.refresh_from_db()
    stale = client.post(url, {"input": item.pk, "comment": "Autre avis", "version": item.version - 1},
                        HTTP_HX_REQUEST="true")
    assert stale.status_code == 409
    client.force_login(world.a.users[Role.MANAGEMENT])
    refused = client.post(url, {"input": item.pk, "comment": "Non", "version": item.version}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 403
    assert ReviewInput.objects.get(pk=item.pk).comment == "Énergie : enjeu majeur."


def test_the_api_steps_and_comments_as_the_pages_do(client, world):
    review = _review(world)
    client.force_login(world.user())
    base = f"/api/v1/improvement/reviews/{review.pk}/"
    assert client.post(base + "step/", {"status": "collected"}, content_type="application/json").json()["status"] == "collected"
    item = ReviewInput.objects.get(review=review, section_key="context.policy")
    answer = client.post(base + "comment/", {"input": item.pk, "comment": "Politique à revoir"},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["comment"] == "Politique à revoir"
    assert client.post(base + "step/", {"status": "closed"}, content_type="application/json").status_code == 400


# --- process reviews ----------------------------------------------------------------------------


def test_a_process_review_reads_only_its_process_sections_and_records(world, as_member):
    other = EventFactory(organization=world.a.organization, process=None, event_type=EventType.INTERNAL_NC,
                         occurred_at=datetime.datetime(2026, 5, 4, 10, tzinfo=datetime.UTC))
    mine = EventFactory(organization=world.a.organization, process=world.a.process, event_type=EventType.INTERNAL_NC,
                        occurred_at=datetime.datetime(2026, 5, 5, 10, tzinfo=datetime.UTC))
    review = _collected(world, as_member, kind="process", process=world.a.process, standards=[])
    keys = set(review.inputs.values_list("section_key", flat=True))
    assert "nonconformities.nonconformities" in keys and "risks.risks_opportunities" in keys
    assert "context.policy" not in keys and "compliance.evaluation" not in keys
    figures = review.inputs.get(section_key="nonconformities.nonconformities").payload["en"]
    assert figures["rows"] == [["Internal nonconformity", 1, 0, "0"]]
    assert other.pk != mine.pk


# --- the PDF pack ----------------------------------------------------------------------------


def test_the_pack_pdf_names_every_required_input_of_the_three_standards(world, as_member, tmp_path):
    """Rendered by the worker's own function (``qse.reports``); the real worker itself is
    exercised by tests/qse/test_every_report_kind.py."""
    review = _collected(world, as_member)
    report = GeneratedReport.objects.create(
        organization=world.a.organization, kind="improvement.management_review", object_id=review.pk,
        content_type=ContentType.objects.get_for_model(review), requested_by=world.a.users[Role.COORDINATOR],
        language="fr")
    pdf, pages = reports._render(world.a.organization, report)
    (tmp_path / "pack.pdf").write_bytes(pdf)
    raw = subprocess.run(["pdftotext", str(tmp_path / "pack.pdf"), "-"], capture_output=True, check=True).stdout
    text = re.sub(r"\s+", " ", raw.decode())  # a heading wrapped in its table cell reads as one line again
    missing = [heading for heading in HEADINGS_FR if heading not in text]
    assert not missing
    assert "Sommaire" in text and "Conclusions et décisions" in text and pages > 10


# --- the Word export -----------------------------------------------------------------------------


def test_the_word_export_holds_the_inputs_headings_comments_and_decisions(client, world, as_member):
    _complaint(world)
    review = _collected(world, as_member)
    user = as_member(Role.COORDINATOR)
    item = review.inputs.get(section_key="nonconformities.customer_feedback")
    services_review.review_input_comment(review_input=item, acting_user=user, comment="Délai de réponse à suivre.")
    services_review.review_decision_create(review=review, acting_user=user, data={
        "category": "improvement", "text": "Mettre en place un tableau de suivi des réclamations"})
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    response = client.get(reverse("improvement:managementreview_word", args=[review.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Revue de direction 2026" in text and "Délai de réponse à suivre." in text
    assert "Réclamation client Stellantis" in cells
    assert "Mettre en place un tableau de suivi des réclamations" in cells
    for heading in HEADINGS_FR:
        assert heading in cells, heading
    api = client.get(f"/api/v1/improvement/reviews/{review.pk}/word/")
    assert api.status_code == 200 and api.content[:2] == b"PK"  # the same .docx (a zip)


def test_another_organizations_review_answers_404_on_the_hand_built_pages(client, world):
    theirs = ManagementReviewFactory(organization=world.b.organization, status="collected")
    item = ReviewInput.objects.create(organization=world.b.organization, review=theirs, section_key="context.policy")
    client.force_login(world.user())
    assert client.get(reverse("improvement:managementreview_word", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("improvement:managementreview_step", args=[theirs.pk]),
                       {"status": "held"}).status_code == 404
    assert client.post(reverse("improvement:managementreview_comment", args=[theirs.pk]),
                       {"input": item.pk, "comment": "x"}).status_code == 404


# --- the generic tests of the declared models ---------------------------------------------------


class TestManagementReviewViews(ObjectViewsTestCase):
    declaration = ManagementReviewViews
    detail_query_budget = 30
    list_query_budget = 18

    def make(self, world, side):
        return ManagementReviewFactory(organization=side.organization, title=f"{side.organization.name} · revue")

    def form_data(self, world):
        return {"title": "Revue de direction 2027", "kind": "management", "period_start": "2027-01-01",
                "period_end": "2027-12-31", "standards": ["iso9001:2015", "iso45001:2018"], "sites": [],
                "attendees": "", "minutes": ""}


class TestReviewDecisionViews(ChildViewsTestCase):
    declaration = ReviewDecisionViews
    may_add = frozenset({Role.ADMIN, Role.COORDINATOR, Role.MANAGEMENT})
    may_change = frozenset({Role.ADMIN, Role.COORDINATOR, Role.MANAGEMENT})
    edit = ("text", "Décision reformulée")

    def make_parent(self, world, side):
        return ManagementReviewFactory(organization=side.organization, status="collected")

    def make(self, world, side, parent):
        return ReviewDecisionFactory(review=parent)

    def form_data(self, world):
        return {"category": "improvement", "text": "Automatiser le suivi des réclamations"}
