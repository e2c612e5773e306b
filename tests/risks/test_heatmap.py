"""The heatmap counts open risks per cell in one query, whatever the number of risks."""

from qse.roles import Role
from qse.testing import count_queries
from risks import selectors
from risks.factories import RiskFactory


def _counts(grid):
    return {(cell.gravity, cell.probability): cell.count for row in grid for cell in row if cell.count}


def test_heatmap_counts_open_risks_per_cell(client, world):
    client.force_login(world.user())  # activates organization A for restrict()
    client.get("/")
    matrix = world.a.matrix
    RiskFactory(organization=world.a.organization, matrix=matrix, inherent_gravity=5, inherent_probability=4,
                residual_gravity=2, residual_probability=2)
    RiskFactory(organization=world.a.organization, matrix=matrix, inherent_gravity=5, inherent_probability=4)
    RiskFactory(organization=world.a.organization, matrix=matrix, inherent_gravity=5, inherent_probability=4, status="closed")
    response = client.get("/risks/heatmap/")
    assert response.status_code == 200
    inherent, residual = response.context["inherent"], response.context["residual"]
    assert _counts(inherent) == {(5, 4): 2, (3, 3): 1}
    assert _counts(residual) == {(2, 2): 1}
    assert len(inherent) == 5 and inherent[0][0].gravity == 5  # highest gravity on top
    assert inherent[0][4].colour == matrix.bands[-1]["colour"]


def test_heatmap_filters_and_ignores_the_other_organization(client, world):
    client.force_login(world.user())
    RiskFactory(organization=world.a.organization, matrix=world.a.matrix, domains=["E"], inherent_gravity=1, inherent_probability=1)
    response = client.get("/risks/heatmap/", {"domain": "E"})
    assert _counts(response.context["inherent"]) == {(1, 1): 1}
    other = client.get("/risks/heatmap/", {"matrix": world.b.matrix.pk})
    assert other.status_code == 404


def test_heatmap_is_one_query_whatever_the_number_of_risks(client, world):
    client.force_login(world.user())
    client.get("/")
    user = world.user()
    from qse.models import Membership
    from qse.tenancy import activate, scope_restored

    with scope_restored():
        activate(Membership.objects.select_related("organization").get(user=user, organization=world.a.organization))
        matrix = world.a.matrix
        selectors.risk_heatmap(user=user, matrix=matrix)  # the membership's site list is read once
        few = count_queries(lambda: selectors.risk_heatmap(user=user, matrix=matrix))
        for gravity in range(1, 6):
            RiskFactory.create_batch(3, organization=world.a.organization, matrix=matrix, inherent_gravity=gravity)
        many = count_queries(lambda: selectors.risk_heatmap(user=user, matrix=matrix))
        assert few == many == 1
        top = list(selectors.risk_top(user=user, limit=3))
        assert [r.inherent_gravity for r in top] == [5, 5, 5]


def test_heatmap_page_query_count_does_not_grow(client, world):
    client.force_login(world.user())
    page = lambda: client.get("/risks/heatmap/")  # noqa: E731
    few = count_queries(page)
    RiskFactory.create_batch(10, organization=world.a.organization, matrix=world.a.matrix,
                             owner=world.a.users[Role.PROCESS_OWNER], process=world.a.process)
    assert count_queries(page) == few


def test_heatmap_without_a_matrix_invites_to_copy_one(client, world):
    from risks.models import Risk, RiskMatrix

    Risk.objects.filter(organization=world.a.organization).delete()
    RiskMatrix.objects.filter(organization=world.a.organization).delete()
    client.force_login(world.user())
    response = client.get("/risks/heatmap/")
    assert response.status_code == 200 and "/risks/library/" in response.content.decode()


def test_the_top_risks_are_chosen_on_the_risk_rows_alone_then_joined(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qse.models import Membership
    from qse.tenancy import activate, scope_restored

    user = world.user()
    for gravity in (2, 5, 4):
        RiskFactory(organization=world.a.organization, matrix=world.a.matrix, inherent_gravity=gravity,
                    process=world.a.process)
    with scope_restored():
        activate(Membership.objects.select_related("organization").get(user=user, organization=world.a.organization))
        with CaptureQueriesContext(connection) as queries:
            top = list(selectors.risk_top(user=user, limit=2))
    assert [r.inherent_gravity for r in top] == [5, 4]
    assert top[0].process == world.a.process
    on_risks = [q["sql"] for q in queries.captured_queries if 'FROM "risks_risk"' in q["sql"]]
    # The sort and its LIMIT read the risk table only (sorting 6,000 risks joined to their
    # matrix spilled to disk); the joins come after, on the chosen rows.
    sorted_ = [sql for sql in on_risks if "LIMIT" in sql]
    assert len(sorted_) == 1 and "JOIN" not in sorted_[0], sorted_


def test_both_grids_come_from_one_query_and_an_unassessed_residual_is_in_no_residual_cell(world):
    from qse.models import Membership
    from qse.tenancy import activate, scope_restored
    from risks.factories import RiskMatrixFactory

    user = world.user()
    matrix = RiskMatrixFactory(organization=world.a.organization)  # 5 x 5, no risk yet
    RiskFactory(matrix=matrix, inherent_gravity=5, inherent_probability=5, residual_gravity=2, residual_probability=2)
    RiskFactory(matrix=matrix, inherent_gravity=5, inherent_probability=5)  # residual not assessed
    RiskFactory(matrix=matrix, inherent_gravity=3, inherent_probability=1, residual_gravity=3, residual_probability=1)
    with scope_restored():
        activate(Membership.objects.select_related("organization").get(user=user, organization=world.a.organization))
        selectors.risk_heatmaps(user=user, matrix=matrix)  # the membership's site list is read once
        assert count_queries(lambda: selectors.risk_heatmaps(user=user, matrix=matrix)) == 1
        grids = selectors.risk_heatmaps(user=user, matrix=matrix)

    def filled(grid):  # (gravity, probability): count, rows from gravity 5 down, probabilities 1 to 5
        return {(cell.gravity, cell.probability): cell.count for row in grid for cell in row if cell.count}

    assert filled(grids["inherent"]) == {(5, 5): 2, (3, 1): 1}
    assert filled(grids["residual"]) == {(2, 2): 1, (3, 1): 1}
    assert [cell.gravity for cell in grids["inherent"][0]] == [5] * 5
    assert [cell.probability for cell in grids["inherent"][0]] == [1, 2, 3, 4, 5]
