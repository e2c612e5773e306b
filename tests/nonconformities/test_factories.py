from nonconformities.models import Event


def test_each_organization_has_its_own_event(world):
    assert Event.objects.filter(organization=world.a.organization).count() == 1
    assert world.a.event.cost_total is not None
