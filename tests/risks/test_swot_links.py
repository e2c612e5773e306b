"""A SWOT item points at the risk or opportunity of the register it gave rise to."""

from context.models import SwotItem
from qse.roles import Role

ADD = "/context/swot-items/add/"


def test_a_swot_item_linked_to_a_risk_links_to_it_from_the_grid(client, world):
    client.force_login(world.user())
    response = client.post(ADD, {"quadrant": "threat", "text": "Dépendance à un seul client aéronautique",
                                 "risk": world.a.risk.pk})
    assert response.status_code == 302
    item = SwotItem.objects.get(text__startswith="Dépendance")
    assert item.risk == world.a.risk

    grid = client.get("/context/swot/").content.decode()
    assert world.a.risk.get_absolute_url() in grid


def test_a_swot_item_cannot_point_at_another_organizations_risk(client, world):
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.post(ADD, {"quadrant": "threat", "text": "Fuite", "risk": world.b.risk.pk})
    assert response.status_code == 400 or "risk" in response.context["form"].errors
    assert not SwotItem.objects.filter(text="Fuite").exists()
