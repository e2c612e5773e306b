"""Environmental aspects and impacts (ISO 14001): generic view tests (data only), the
significance rule as a table, the services deriving score and significance, the selector
for the management review."""

import itertools

import pytest

from qse.roles import Role
from qse.tenancy import current_membership
from qse.testing import ObjectViewsTestCase, count_queries
from risks import aspects, selectors_aspects, services_aspects
from risks.models import AspectCondition, EnvironmentalAspect
from risks.views_aspects import EnvironmentalAspectViews

NUMBERS = itertools.count(100)


def _aspect(side, severity=2, frequency=2, control=2, condition=AspectCondition.NORMAL, is_compliance_obligation=False):
    score, is_significant = aspects.significance(
        aspects.significance_rule(), severity, frequency, control, condition, is_compliance_obligation
    )
    return EnvironmentalAspect.objects.create(
        organization=side.organization, site=side.site, process=side.process,
        activity=f"{side.organization.name} · usinage {next(NUMBERS)}", aspect="Consommation d'huile soluble",
        impact="Pollution des sols", condition=condition, severity=severity, frequency=frequency, control=control,
        score=score, is_significant=is_significant, is_compliance_obligation=is_compliance_obligation,
        owner=side.users[Role.COORDINATOR],
    )


class TestEnvironmentalAspectViews(ObjectViewsTestCase):
    declaration = EnvironmentalAspectViews
    edit = ("impact", "Pollution des eaux souterraines")

    def make(self, world, side):
        return _aspect(side)

    def import_rows(self, world):
        owner = world.a.users[Role.COORDINATOR].username
        return [
            {"Site": world.a.site.code, "Activité": f"Activité importée {i}", "Aspect environnemental": "Rejet",
             "Impact environnemental": "Pollution de l'eau", "Situation": "normal", "Gravité": "2", "Fréquence": "3",
             "Maîtrise": "4", "Réglementaire": "Non", "Pilote": owner}
            for i in range(3)
        ]

    def form_data(self, world):
        return {
            "site": world.a.site.pk, "process": world.a.process.pk, "activity": "Dégraissage des pièces",
            "aspect": "Rejet de solvants", "impact": "Pollution de l'air", "condition": AspectCondition.ABNORMAL,
            "severity": 3, "frequency": 2, "control": 3, "compliance_reference": "",
            "owner": world.a.users[Role.COORDINATOR].pk, "last_reviewed_on": "2026-11-01",
        }


# --- the significance rule -------------------------------------------------------------------

RULE = aspects.significance_rule()


@pytest.mark.parametrize(
    ("severity", "frequency", "control", "condition", "is_obligation", "expected"),
    [
        (1, 1, 1, "normal", False, (1, False)),
        (2, 3, 3, "normal", False, (18, False)),
        (2, 3, 4, "normal", False, (24, True)),  # the threshold itself is significant
        (4, 4, 4, "abnormal", False, (64, True)),
        (3, 1, 1, "emergency", False, (3, True)),  # a serious emergency, whatever its score
        (2, 1, 1, "emergency", False, (2, False)),  # a minor emergency follows the threshold
        (3, 1, 1, "abnormal", False, (3, False)),
        (1, 1, 1, "normal", True, (1, True)),  # a compliance obligation is always significant
    ],
)
def test_significance_is_the_product_of_the_criteria_against_the_threshold(
    severity, frequency, control, condition, is_obligation, expected
):
    assert aspects.significance(RULE, severity, frequency, control, condition, is_obligation) == expected


def test_every_criterion_level_has_a_french_and_an_english_label():
    assert [entry["id"] for entry in RULE["criteria"]] == list(aspects.CRITERIA)
    for name in aspects.CRITERIA:
        assert aspects.scale_values(RULE, name) == [1, 2, 3, 4]
        assert all(level["label"].get("fr") and level["label"].get("en") for level in aspects.criterion(RULE, name)["levels"])


# --- services and selector ---------------------------------------------------------------------

@pytest.fixture
def coordinator(as_member):
    return as_member(Role.COORDINATOR)


def _data(world, **changes):
    return {
        "site": world.a.site, "activity": "Usinage", "aspect": "Consommation d'huile soluble",
        "impact": "Pollution des sols", "condition": AspectCondition.NORMAL, "severity": 2, "frequency": 2,
        "control": 2, "owner": world.a.users[Role.COORDINATOR], **changes,
    }


def test_creating_an_aspect_derives_its_score_and_significance(world, coordinator):
    aspect = services_aspects.environmental_aspect_create(acting_user=coordinator, data=_data(world))
    assert (aspect.score, aspect.is_significant) == (8, False)
    serious = services_aspects.environmental_aspect_create(
        acting_user=coordinator, data=_data(world, condition=AspectCondition.EMERGENCY, severity=3),
    )
    assert (serious.score, serious.is_significant) == (12, True)


def test_updating_an_aspect_recomputes_its_score_and_significance(world, coordinator):
    aspect = services_aspects.environmental_aspect_create(acting_user=coordinator, data=_data(world))
    aspect = services_aspects.environmental_aspect_update(
        aspect=aspect, acting_user=coordinator, data={"frequency": 4, "control": 3}, expected_version=None,
    )
    assert (aspect.score, aspect.is_significant) == (24, True)
    aspect = services_aspects.environmental_aspect_update(
        aspect=aspect, acting_user=coordinator, data={"control": 1, "is_compliance_obligation": True},
        expected_version=None,
    )
    aspect.refresh_from_db()
    assert (aspect.score, aspect.is_significant) == (8, True)


def test_a_level_outside_the_scale_is_refused(world, coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services_aspects.environmental_aspect_create(acting_user=coordinator, data=_data(world, severity=5))
    assert "severity" in error.value.message_dict


def test_the_api_derives_score_and_significance(client, world):
    client.force_login(world.user())
    payload = {
        "site": world.a.site.pk, "activity": "Peinture", "aspect": "Émissions de COV", "impact": "Pollution de l'air",
        "condition": "normal", "severity": 4, "frequency": 3, "control": 2, "score": 1, "is_significant": False,
        "owner": world.user().pk,
    }
    response = client.post("/api/v1/risks/environmental-aspects/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["score"], response.json()["is_significant"]) == (24, True)


def test_significant_aspects_are_listed_in_one_query_for_the_review(world, as_member):
    _aspect(world.b, severity=4, frequency=4, control=4)
    significant = _aspect(world.a, severity=4, frequency=4, control=2)
    forced = _aspect(world.a, is_compliance_obligation=True)
    _aspect(world.a)
    archived = _aspect(world.a, severity=4, frequency=4, control=4)
    EnvironmentalAspect.objects.filter(pk=archived.pk).update(archived_at="2026-11-01T00:00:00Z")
    result = []
    coordinator = as_member(Role.COORDINATOR)
    _ = current_membership().site_ids  # the membership's sites are read once per request
    assert count_queries(lambda: result.extend(
        (a, a.site.name, a.owner.username, a.process and a.process.name)
        for a in selectors_aspects.significant_aspects(user=coordinator)
    )) == 1
    assert [row[0] for row in result] == [significant, forced]


def test_the_detail_page_shows_the_actions_linked_to_the_aspect(client, world):
    from django.contrib.contenttypes.models import ContentType

    aspect = _aspect(world.a)
    action = world.a.actions[0]
    type(action).objects.filter(pk=action.pk).update(
        origin_type=ContentType.objects.get_for_model(EnvironmentalAspect), origin_id=aspect.pk,
    )
    client.force_login(world.user())
    page = client.get(aspect.get_absolute_url()).content.decode()
    assert 'id="aspect-actions"' in page and action.title in page
    assert world.a.actions[1].title not in page
