"""The compliance library folder holds the regulatory texts' libraries and the periodic check
types' one: the texts' library page and API list only the former, and never fail on the latter."""


def test_the_library_lists_the_text_libraries_and_skips_the_check_types(client, world):
    client.force_login(world.user())
    response = client.get("/api/v1/compliance/library/")
    assert response.status_code == 200
    assert {entry["id"] for entry in response.json()} >= {"fr-qse-core", "iso-standards"}
    assert "check_types" not in {entry["id"] for entry in response.json()}
    assert client.get("/compliance/library/").status_code == 200
