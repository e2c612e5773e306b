"""A risk's domains read as their translated labels on its page and in the register's
export, never as a Python list of codes."""

from django.urls import reverse

from qse.roles import Role


def test_the_risk_page_and_the_register_show_domain_labels_not_a_python_list(client, world):
    risk = world.a.risk
    risk.domains = ["Q", "S"]
    risk.save()
    client.force_login(world.a.users[Role.COORDINATOR])
    # The register's CSV holds every column, domains included (the page shows them when chosen).
    for url in (risk.get_absolute_url(), reverse("risks:risk_list") + "?_export=csv"):
        client.cookies.load({"django_language": "en"})
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").getvalue().decode()
        page = page.split('id="history"')[0]  # the change history renders old values its own way
        assert "Quality, Health and safety" in page, url
        assert "[&#x27;Q&#x27;" not in page and "['Q'" not in page, url


def test_the_change_history_shows_the_old_and_new_domains_as_labels(client, world):
    risk = world.a.risk
    risk.domains = ["Q"]
    risk.save()
    risk.domains = ["Q", "E"]
    risk.save()
    client.force_login(world.a.users[Role.COORDINATOR])
    client.cookies.load({"django_language": "en"})
    page = client.get(risk.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    history = page.split('id="history"')[1]
    assert "Quality, Environment" in history
    assert "[&#x27;Q&#x27;" not in history and "['Q'" not in history
