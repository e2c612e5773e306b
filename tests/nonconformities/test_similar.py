"""Similar past events by trigram similarity: paraphrases found, unrelated texts not, other
organizations never; closed look-alikes of the same process or product flag a recurrence."""

from django.urls import reverse

from nonconformities import similar
from nonconformities.choices import EventStatus
from nonconformities.factories import EventFactory
from qse.factories import ProcessFactory
from qse.models import Membership
from qse.tenancy import activate, scope_restored
from qse.testing import count_queries

URL = reverse("nonconformities:event_similar")
BURRS = "Bavures sur alésage du carter"
BURRS_TEXT = "Bavures sur l'alésage Ø32 H7 du carter, détectées au contrôle final."
OIL = "Fuite d'huile sur la presse 3"
OIL_TEXT = "Flaque d'huile hydraulique sous la presse 3, risque de glissade."
FALL = "Chute de plain-pied atelier B"
FALL_TEXT = "Un opérateur a glissé sur une flaque dans l'allée de l'atelier B."


def _past(side, title, description, **extra):
    return EventFactory(organization=side.organization, site=side.site, title=title, description=description, **extra)


def _library(world):
    a = world.a
    return {
        "burrs": _past(a, BURRS, BURRS_TEXT, process=a.process, product="Carter C32", status=EventStatus.CLOSED),
        "oil": _past(a, OIL, OIL_TEXT),
        "fall": _past(a, FALL, FALL_TEXT),
        "theirs": _past(world.b, BURRS, BURRS_TEXT),
    }


def _search(world, text, **kwargs):
    user = world.user()
    with scope_restored():
        activate(Membership.objects.select_related("organization").get(user=user, organization=world.a.organization))
        return similar.similar_events(user=user, text=text, **kwargs)


def test_a_french_paraphrase_finds_the_past_event(world):
    events = _library(world)
    found = _search(world, "Bavure constatée sur l'alésage d'un carter au contrôle")
    assert found and found[0] == events["burrs"]
    assert 0.35 <= found[0].similarity <= 1
    oil = _search(world, "Huile répandue sous la presse n°3, sol glissant, balisage posé en attendant la maintenance")
    assert oil[0] == events["oil"]


def test_a_long_description_still_finds_the_short_past_title(world):
    events = _library(world)
    text = ("Bavure sur carter. Lors du contrôle final, des bavures ont été constatées sur l'alésage Ø32 du carter, "
            "lot de 200 pièces bloqué, client prévenu.")
    assert _search(world, text)[0] == events["burrs"]


def test_an_unrelated_text_finds_nothing(world):
    _library(world)
    assert _search(world, "Retard de livraison du fournisseur de cartons, ligne arrêtée deux heures") == []
    assert _search(world, "ok") == []
    assert _search(world, "   ") == []


def test_the_other_organizations_events_are_never_returned(world):
    events = _library(world)
    found = _search(world, f"{BURRS} {BURRS_TEXT}", limit=50)
    assert events["theirs"] not in found
    assert all(event.organization_id == world.a.organization.pk for event in found)


def test_the_event_being_edited_and_archived_events_are_left_out(world):
    events = _library(world)
    from django.utils import timezone

    events["oil"].archived_at = timezone.now()
    events["oil"].save()
    assert events["burrs"] not in _search(world, f"{BURRS} {BURRS_TEXT}", exclude_pk=events["burrs"].pk)
    assert _search(world, f"{OIL} {OIL_TEXT}") == []


def test_partial_lists_references_and_flags_a_possible_recurrence(client, world):
    events = _library(world)
    client.force_login(world.user())
    response = client.get(URL, {"title": "Bavure sur l'alésage", "description": "bavures sur carter au contrôle",
                                "process": world.a.process.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert events["burrs"].reference in page and events["burrs"].get_absolute_url() in page
    assert 'data-testid="possible-recurrence"' in page
    assert events["theirs"].get_absolute_url() not in page
    other_process = ProcessFactory(organization=world.a.organization, code="R9", name="Expédition")
    no_flag = client.get(URL, {"title": "Bavure sur l'alésage", "description": "bavures sur carter au contrôle",
                               "process": other_process.pk}).content.decode()
    assert events["burrs"].reference in no_flag and "possible-recurrence" not in no_flag
    same_product = client.get(URL, {"title": "Bavure sur l'alésage", "product": "carter c32"}).content.decode()
    assert 'data-testid="possible-recurrence"' in same_product


def test_editing_an_event_takes_its_own_process_for_the_recurrence_flag(client, world):
    events = _library(world)
    current = _past(world.a, "Bavures alésage carter, encore", "Bavures sur alésage du carter au contrôle final",
                    process=world.a.process)
    client.force_login(world.user())
    page = client.get(URL, {"title": current.title, "description": current.description, "exclude": current.pk}).content.decode()
    assert events["burrs"].reference in page and current.reference not in page
    assert 'data-testid="possible-recurrence"' in page


def test_partial_is_empty_for_an_unrelated_text_and_needs_a_login(client, world):
    _library(world)
    assert client.get(URL, {"title": "Retard fournisseur cartons"}).status_code == 302
    client.force_login(world.user())
    response = client.get(URL, {"title": "Retard de livraison du fournisseur de cartons"})
    assert response.status_code == 200 and "no-similar-events" in response.content.decode()
    assert 'data-testid="similar-events"' not in response.content.decode()


def test_partial_query_count_is_flat(client, world):
    _library(world)
    client.force_login(world.user())
    params = {"title": BURRS, "description": BURRS_TEXT}
    client.get(URL, params)
    few = count_queries(lambda: client.get(URL, params))
    for index in range(6):
        _past(world.a, f"{BURRS} {index}", BURRS_TEXT, process=world.a.process)
    many = count_queries(lambda: client.get(URL, params))
    assert few == many <= 12, (few, many)
