"""What the pages' shared machinery does once instead of on every row or every request must
still give the same page: the <select> written out in Python, the navigation built once per
request, the notification badge counted in SQL."""

from __future__ import annotations

from django import forms
from django.utils.safestring import mark_safe

from qse import registry
from qse.models import Notification
from qse.widgets import SearchSelect, select_html


def _django_select(choices, value, attrs=None, multiple=False) -> str:
    """The same <select> drawn by Django's own templates (the HTML the pages had)."""
    widget = (forms.SelectMultiple if multiple else forms.Select)(attrs=attrs, choices=choices)
    return widget.render("owner", value)


def test_the_written_out_select_is_exactly_the_one_of_djangos_templates():
    cases = [
        ([("", "---------"), (1, "Claire Martin"), (2, "Léo <Dupont> & fils")], 2, {"id": "id_owner"}, False),
        ([(1, mark_safe("<b>sûr</b>")), (2, "o'neil \"quoted\"")], [1, 2], {"class": "x", "required": True}, True),
        ([("Sites", [(1, "Lyon"), (2, "Dijon")]), (3, "Ailleurs")], 3, {"disabled": False, "data-n": 4}, False),
        ([], None, None, False),
    ]
    for choices, value, attrs, multiple in cases:
        widget = (forms.SelectMultiple if multiple else forms.Select)(attrs=attrs, choices=choices)
        context = widget.get_context("owner", value, None)
        assert select_html(context["widget"]) == _django_select(choices, value, attrs, multiple)


def test_a_small_select_is_written_as_a_person_reads_it():
    widget = forms.Select(choices=[("", "---------"), (7, "Léo & fils")])
    html = select_html(widget.get_context("owner", 7, {"id": "id_owner"})["widget"])
    assert html == (
        '<select name="owner" id="id_owner">'
        '\n  <option value="">---------</option>\n'
        '\n  <option value="7" selected>Léo &amp; fils</option>\n'
        "\n</select>"
    )


def test_a_filter_over_few_processes_draws_the_same_select_as_before(client, world, settings):
    settings.QSE_CHOICES_INLINE = 100
    client.force_login(world.user())
    page = client.get("/improvement/actions/", {"process": world.a.process.pk}).content.decode()
    assert f'<option value="{world.a.process.pk}" selected>' in page
    assert isinstance(SearchSelect(Notification), forms.Select)


def test_the_navigation_is_built_once_for_a_page_and_its_table(client, world, monkeypatch):
    built = []
    real = registry._navigation
    monkeypatch.setattr(registry, "_navigation", lambda request: built.append(request.path) or real(request))
    client.force_login(world.user())
    page = client.get("/improvement/actions/").content.decode()
    assert built == ["/improvement/actions/"]
    assert 'href="/improvement/actions/"' in page


def test_the_navigation_marks_the_current_page_in_each_language(client, world):
    client.force_login(world.user())
    for language in ("fr", "en"):
        client.cookies["django_language"] = language
        page = client.get("/risks/risks/").content.decode()
        assert '<a href="/risks/risks/" class="active" aria-current="page">' in page
        assert page.count('aria-current="page"') == 1


def test_the_bell_counts_the_unread_notifications_of_the_organization_up_to_99(client, world):
    user = world.user()
    for i in range(3):
        Notification.objects.create(organization=world.a.organization, recipient=user, title=f"n{i}")
    Notification.objects.create(organization=world.a.organization, recipient=user, title="lu",
                                read_at="2026-01-01T00:00:00Z")
    client.force_login(user)
    page = client.get("/improvement/actions/").content.decode()
    assert '<span class="badge" data-testid="unread">3</span>' in page


def test_a_tables_rows_are_the_ones_django_tables2s_template_draws(rf, world):
    import re

    from django.template import RequestContext, Template

    from improvement.models import Action
    from improvement.tables import ActionTable
    from qse.tenancy import organization_context

    request = rf.get("/improvement/actions/")
    request.user = world.user()
    drawn = {}
    with organization_context(world.a.organization):
        rows = Action.objects.filter(organization=world.a.organization).select_related("owner", "plan", "process", "site")
        for template_name in ("qse/_table.html", "django_tables2/table.html"):
            table = ActionTable(rows.order_by("pk"), template_name=template_name)
            html = Template("{% load django_tables2 %}{% render_table table %}").render(
                RequestContext(request, {"table": table}))
            drawn[template_name] = re.search(r"<tbody.*</tbody>", html, re.S).group(0)
    assert drawn["qse/_table.html"].count("<tr ") == len(world.a.actions) > 0
    assert drawn["qse/_table.html"] == drawn["django_tables2/table.html"]


# The sidebar's loop as templates/base.html wrote it before the sidebar was drawn in Python.
_SIDEBAR_LOOP = """{% for block in navigation %}
      <section class="nav-block" data-block="{{ block.key }}"><h2>{% if block.key == "analyse" %}<span class="block-no">1</span>{% elif block.key == "steer" %}<span class="block-no">2</span>{% elif block.key == "evaluate" %}<span class="block-no">3</span>{% elif block.key == "improve" %}<span class="block-no">4</span>{% endif %}{{ block.label }}</h2>
        <ul>{% for link in block.links %}<li><a href="{{ link.url }}" {% if link.active %}class="active" aria-current="page"{% endif %}>{{ link.label|capfirst }}</a></li>{% endfor %}</ul>
      </section>
    {% endfor %}"""


def test_the_sidebar_drawn_once_is_the_one_the_template_loop_drew(rf, world):
    from django.template import Context, Template
    from django.utils import translation

    from qse.models import Membership
    from qse.tenancy import activate, scope_restored

    for role in ("coordinator", "contributor"):
        request = rf.get("/risks/risks/")
        request.user = world.user(role)
        request.membership = Membership.objects.get(user=request.user, organization=world.a.organization)
        for language in ("fr", "en"):
            with scope_restored(), translation.override(language):
                activate(request.membership)
                navigation = registry._navigation(request)
                drawn_by_loop = Template(_SIDEBAR_LOOP).render(Context({"navigation": navigation}))
            assert navigation.html == drawn_by_loop
            assert drawn_by_loop.count('aria-current="page"') == 1


def test_the_navigation_is_listed_once_per_role_and_language_and_follows_each(client, world, monkeypatch):
    from django.urls import reverse

    listed = []
    real = registry._visible_links
    monkeypatch.setattr(registry, "_visible_links", lambda user, request: listed.append(user.pk) or real(user, request))
    registry._links.clear()
    registry._navigations.clear()
    coordinator, contributor = world.user("coordinator"), world.user("contributor")
    pages = {}
    for user in (coordinator, contributor, coordinator, contributor):
        client.force_login(user)
        pages.setdefault(user.pk, []).append(client.get("/risks/risks/").content.decode())
    assert listed == [coordinator.pk, contributor.pk]  # the second page of each role lists nothing
    # Each role keeps its own links: only the coordinator triages events.
    triage = f'href="{reverse("nonconformities:event_triage")}"'
    assert triage in pages[coordinator.pk][1]
    assert triage not in pages[contributor.pk][1]
    assert pages[coordinator.pk][0].count("nav-block") > 0
    client.cookies["django_language"] = "en"
    english = client.get("/risks/risks/").content.decode()
    assert listed == [coordinator.pk, contributor.pk, contributor.pk]  # a language of its own
    assert '<a href="/risks/risks/" class="active" aria-current="page">Risks and opportunities</a>' in english
    assert '<a href="/risks/risks/" class="active" aria-current="page">Risques et opportunités</a>' in pages[contributor.pk][1]


def test_the_bell_counts_only_the_users_own_unread_notifications_of_this_organization_in_one_plain_query(
        client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user, colleague = world.user(), world.user("contributor")
    Notification.objects.create(organization=world.a.organization, recipient=user, title="à lire")
    Notification.objects.create(organization=world.a.organization, recipient=colleague, title="pas pour moi")
    Notification.objects.create(organization=world.b.organization, recipient=user, title="autre organisation")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/improvement/actions/").content.decode()
    assert '<span class="badge" data-testid="unread">1</span>' in page
    counts = [q["sql"] for q in queries.captured_queries if 'FROM "qse_notification"' in q["sql"]]
    assert len(counts) == 1
    assert "guardian" not in counts[0] and "ORDER BY" not in counts[0]  # no grants subquery, no sort


def test_a_cells_attributes_computed_from_its_row_are_still_computed_for_each_row(rf, world):
    import django_tables2 as tables
    from django.template import RequestContext, Template

    from improvement.models import Action
    from qse.tables import ObjectTable
    from qse.tenancy import organization_context

    class Table(ObjectTable):
        title = tables.Column(attrs={"td": {"data-id": lambda record: record.pk, "class": "fixed"}})
        due_on = tables.Column(attrs={"td": {"class": "date"}})

        class Meta(ObjectTable.Meta):
            model = Action
            fields = ["title", "due_on"]

    request = rf.get("/improvement/actions/")
    request.user = world.user()
    with organization_context(world.a.organization):
        rows = Action.objects.filter(organization=world.a.organization).order_by("pk")
        html = Template("{% load django_tables2 %}{% render_table table %}").render(
            RequestContext(request, {"table": Table(rows)}))
    for action in world.a.actions:
        assert f'<td data-id="{action.pk}" class="fixed">' in html
    assert html.count('<td class="date">') == len(world.a.actions)


def test_a_table_drawn_again_after_hiding_a_column_draws_its_rows_without_it(rf, world):
    from django.template import RequestContext, Template

    from improvement.models import Action
    from improvement.tables import ActionTable
    from qse.tenancy import organization_context

    request = rf.get("/improvement/actions/")
    request.user = world.user()
    template = Template("{% load django_tables2 %}{% render_table table %}")
    with organization_context(world.a.organization):
        table = ActionTable(Action.objects.filter(organization=world.a.organization).order_by("pk"))
        before = template.render(RequestContext(request, {"table": table}))
        table.columns.hide("owner")
        after = template.render(RequestContext(request, {"table": table}))
    assert after.count("<tr ") == before.count("<tr ") == len(world.a.actions)
    assert before.count("<td ") - after.count("<td ") == len(world.a.actions)  # one cell less a row


def test_the_inputs_and_choices_drawn_in_python_are_exactly_the_ones_of_djangos_templates():
    from qse.widgets import draw_in_python

    cases = [
        (forms.CharField(widget=forms.TextInput(attrs={"placeholder": "Titre « court »"})), "a<b & \"c\""),
        (forms.CharField(), None),
        (forms.DateField(widget=forms.DateInput(attrs={"type": "date"})), "2026-11-30"),
        (forms.IntegerField(), 12),
        (forms.BooleanField(), True),
        (forms.BooleanField(), False),
        (forms.NullBooleanField(), None),
        (forms.ChoiceField(choices=[("", "---------"), ("open", "Ouverte"), ("done", "Faite & close")]), "done"),
        (forms.MultipleChoiceField(choices=[("Q", "Qualité"), ("S", "Sécurité")]), ["Q", "S"]),
        (forms.CharField(widget=forms.Textarea), "texte"),  # a template of its own: drawn by Django
    ]
    for field, value in cases:
        by_django = field.widget.render("name", value, {"id": "id_name"})
        draw_in_python(field)
        assert type(field.widget).__name__.startswith("Drawn")
        assert field.widget.render("name", value, {"id": "id_name"}) == by_django
