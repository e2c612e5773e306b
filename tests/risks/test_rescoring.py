"""A matrix change rescores its risks and occupational risks: at once for a small register,
in a Celery task (batches of bulk updates, history kept, idempotent) for a large one."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.exceptions import ValidationError

from qse.roles import Role
from risks import scoring, services
from risks.factories import RiskFactory
from risks.models import OccupationalRisk, Risk, WorkUnit
from risks.tasks import matrix_rescore_task

# Gravity on three levels instead of five; "low" now goes up to 6.
BANDS_MAX = {"low": 6, "medium": 9, "high": 16, "critical": 25}


def new_scales_and_bands(matrix):
    scales = copy.deepcopy(matrix.scales)
    scales["gravity"]["levels"] = [level for level in scales["gravity"]["levels"] if level["value"] <= 3]
    bands = copy.deepcopy(matrix.bands)
    low = 1
    for band in bands:
        band["min"], band["max"] = low, BANDS_MAX[band["id"]]
        low = band["max"] + 1
    return scales, bands


def grow_register(side, count: int) -> None:
    """``count`` more risks (G3 x P3) and two occupational risks (G3 x P2) on the side's matrix."""
    owner = side.users[Role.COORDINATOR]
    Risk.objects.bulk_create([
        RiskFactory.build(organization=side.organization, matrix=side.matrix, owner=owner, reference=f"R-{n:04d}")
        for n in range(2, count + 2)
    ])
    unit = WorkUnit.objects.create(organization=side.organization, site=side.site, name="Atelier", headcount=5)
    score = scoring.score(side.matrix.data, 3, 2)
    OccupationalRisk.objects.bulk_create([
        OccupationalRisk(organization=side.organization, work_unit=unit, hazard_family="noise", situation=f"Presse {n}",
                         matrix=side.matrix, gravity=3, probability=2, score=score,
                         level=scoring.level(side.matrix.data, score).id)
        for n in range(2)
    ])


def edit_form(matrix) -> dict:
    scales, bands = new_scales_and_bands(matrix)
    return {
        "name": matrix.name, "description": matrix.description, "is_default": "on",
        "acceptability_threshold": matrix.acceptability_threshold,
        "scales": json.dumps(scales), "bands": json.dumps(bands), "version": matrix.version,
    }


@pytest.fixture
def eager_celery():
    from qse.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def test_a_large_register_is_rescored_by_the_task_after_the_page_says_so(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    grow_register(world.a, services.RESCORE_SYNC_LIMIT)
    grow_register(world.b, 3)
    matrix = world.a.matrix
    client.force_login(world.user(Role.COORDINATOR))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/risks/matrices/{matrix.pk}/edit/", edit_form(matrix))
    assert response.status_code == 302
    risks = Risk.objects.filter(organization=world.a.organization)
    assert set(risks.values_list("inherent_gravity", "inherent_score")) == {(3, 9)}, "nothing rescored before the task"
    page = client.get(response["Location"])
    assert "rescored in the background" in page.content.decode() or "arrière-plan" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    assert risks.count() == services.RESCORE_SYNC_LIMIT + 1
    assert set(risks.values_list("inherent_gravity", "inherent_probability", "inherent_score", "inherent_level")) == {
        (2, 3, 6, "low")
    }
    occupational = OccupationalRisk.objects.filter(organization=world.a.organization)
    assert set(occupational.values_list("gravity", "score", "level")) == {(2, 4, "low")}
    one = risks.get(reference="R-0002")
    assert list(one.events.order_by("pgh_id").values_list("inherent_score", "inherent_level")) == [
        (9, "medium"), (6, "low"),
    ], "bulk_update keeps the old scores in history (database triggers)"
    assert one.events.order_by("pgh_id").last().pgh_context.metadata["user"] == world.user(Role.COORDINATOR).pk
    theirs = Risk.objects.filter(organization=world.b.organization)
    assert set(theirs.values_list("inherent_gravity", "inherent_score")) == {(3, 9)}


def test_running_the_task_again_rescores_nothing(world, eager_celery, as_member, django_capture_on_commit_callbacks):
    grow_register(world.a, services.RESCORE_SYNC_LIMIT)
    user = as_member(Role.COORDINATOR)
    matrix, old_data = world.a.matrix, world.a.matrix.data
    scales, bands = new_scales_and_bands(matrix)

    with django_capture_on_commit_callbacks(execute=True):
        updated = services.matrix_update(matrix=matrix, acting_user=user, data={"scales": scales, "bands": bands},
                                         expected_version=matrix.version)
    assert updated.rescore_pending
    events = Risk.pgh_event_model.objects.count()

    again = matrix_rescore_task.delay(organization_id=world.a.organization.pk, matrix_id=matrix.pk,
                                      old_data=old_data, acting_user_id=user.pk).get()

    assert again == 0
    assert Risk.pgh_event_model.objects.count() == events
    assert set(Risk.objects.filter(matrix=matrix).values_list("inherent_gravity", flat=True)) == {2}
    assert not services.rescore_pending(matrix=matrix)


def test_the_task_works_in_batches_and_a_second_change_waits_for_it(
    world, as_member, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "RESCORE_SYNC_LIMIT", 5)
    grow_register(world.a, 12)
    user = as_member(Role.COORDINATOR)
    matrix, old_data = world.a.matrix, world.a.matrix.data
    scales, bands = new_scales_and_bands(matrix)
    with django_capture_on_commit_callbacks(execute=False):
        updated = services.matrix_update(matrix=matrix, acting_user=user, data={"scales": scales, "bands": bands},
                                         expected_version=matrix.version)

    with pytest.raises(ValidationError):
        services.matrix_update(matrix=updated, acting_user=user, data={"acceptability_threshold": 4},
                               expected_version=updated.version)

    done = services.matrix_rescore_batches(organization=world.a.organization, matrix_id=matrix.pk,
                                           old_data=old_data, acting_user=user, batch=5)
    assert done == 13 + 2
    assert not services.rescore_pending(matrix=matrix)
    assert Risk.pgh_event_model.objects.filter(pgh_obj__matrix=matrix, pgh_label="update").count() == 13
    updated.refresh_from_db()
    services.matrix_update(matrix=updated, acting_user=user, data={"acceptability_threshold": 4},
                           expected_version=updated.version)


def test_a_small_register_is_rescored_at_once_without_a_task(world, as_member, django_capture_on_commit_callbacks):
    grow_register(world.a, 3)
    user = as_member(Role.COORDINATOR)
    matrix = world.a.matrix
    scales, bands = new_scales_and_bands(matrix)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        updated = services.matrix_update(matrix=matrix, acting_user=user, data={"scales": scales, "bands": bands},
                                         expected_version=matrix.version)

    assert not updated.rescore_pending
    assert not callbacks
    assert set(Risk.objects.filter(matrix=matrix).values_list("inherent_score", "inherent_level")) == {(6, "low")}
    assert set(OccupationalRisk.objects.filter(matrix=matrix).values_list("score", "level")) == {(4, "low")}


def test_a_matrix_used_by_occupational_risks_cannot_take_a_detectability_scale(world, as_member):
    grow_register(world.a, 1)
    user = as_member(Role.COORDINATOR)
    matrix = world.a.matrix
    scales = copy.deepcopy(matrix.scales)
    scales["detectability"] = copy.deepcopy(scales["probability"])
    bands = copy.deepcopy(matrix.bands)
    bands[-1]["max"] = 125

    with pytest.raises(ValidationError) as error:
        services.matrix_update(matrix=matrix, acting_user=user, data={"scales": scales, "bands": bands},
                               expected_version=None)
    assert "détectabilité" in " ".join(error.value.message_dict["scales"])  # French, the default language


def test_editing_the_matrix_on_its_page_rescores_a_small_register_at_once(client, world):
    grow_register(world.a, 2)
    client.force_login(world.user(Role.COORDINATOR))

    response = client.post(f"/risks/matrices/{world.a.matrix.pk}/edit/", edit_form(world.a.matrix))

    assert response.status_code == 302
    assert set(Risk.objects.filter(matrix=world.a.matrix).values_list("inherent_score", "inherent_level")) == {(6, "low")}
    assert "rescored in the background" not in client.get(response["Location"]).content.decode()
