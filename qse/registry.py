"""The view registry: each model's views are declared once; URLs, API routes and the
navigation by the four blocks of the coordinator's job are generated from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

BLOCKS = {
    "analyse": _("Analyse"),
    "steer": _("Steer"),
    "evaluate": _("Evaluate"),
    "improve": _("Improve"),
    "settings": _("Organization"),
}


@dataclass
class NavEntry:
    block: str
    label: object
    url_name: str
    model: type | None = None
    order: int = 50
    visible: Callable | None = None  # a test of the request, for a page no model right describes


@dataclass
class ProcessSection:
    """What an app shows on a process page (ISO 9001 4.4: a process with its risks, actions,
    events, indicators, audits): ``model`` for the right to see it, ``rows(user, process)`` a
    scoped, prefetched queryset, ``table`` its list table (key columns shown), and the list
    filtered on the process, ``list_url_name`` + ``?process=<pk>``."""

    label: object
    model: type
    rows: Callable
    table: type
    list_url_name: str
    order: int = 50


_declarations: list = []
_extra_nav: list[NavEntry] = []
_process_sections: list[ProcessSection] = []


def add_process_section(label, *, model, rows: Callable, table, list_url_name: str, order: int = 50) -> None:
    """Show an app's records of a process on the process page (each app registers its own)."""
    _process_sections.append(ProcessSection(label, model, rows, table, list_url_name, order))


def process_sections() -> list[ProcessSection]:
    _discover()
    return sorted(_process_sections, key=lambda s: s.order)
_api_viewsets: list[tuple[str, type, str]] = []
_api_paths: list = []


def register(declaration_class):
    """Class decorator for an ``ObjectViews`` declaration."""
    _declarations.append(declaration_class)
    return declaration_class


def add_nav(block: str, label, url_name: str, *, model=None, order: int = 50, visible: Callable | None = None) -> None:
    """A page that is not a model list (dashboards, boards, "my actions"). It shows to whoever
    may view ``model``, and, given ``visible(request)``, only where that holds too."""
    _extra_nav.append(NavEntry(block, label, url_name, model, order, visible))


def register_api(prefix: str, viewset, basename: str) -> None:
    """An API viewset beside the declared models' (``/api/v1/<prefix>/``): figures,
    versions, libraries. Its model (``viewset.queryset.model``) is swept like the others."""
    _api_viewsets.append((prefix, viewset, basename))


def register_api_path(route, view, name: str) -> None:
    """A single API operation that is not a resource (``/api/v1/<route>``)."""
    _api_paths.append((route, view, name))


def api_viewsets() -> list[tuple[str, type, str]]:
    _discover()
    return list(_api_viewsets)


def api_paths() -> list:
    _discover()
    return list(_api_paths)


def _discover() -> None:
    """Import every app's views module once, so the registry is complete whoever asks first."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    from django.utils.module_loading import autodiscover_modules

    import qse.organization  # noqa: F401  (sites and processes)
    import qse.views.home  # noqa: F401  (the role homes of block 2)
    import qse.views.oidc  # noqa: F401  (directory sign-in settings: page and API)

    autodiscover_modules("views")


_discovered = False


def declarations(app_label: str | None = None) -> list:
    _discover()
    return [d for d in _declarations if app_label is None or d.model._meta.app_label == app_label]


def declaration_for(model) -> type | None:
    _discover()
    return next((d for d in _declarations if d.model is model), None)


def registered_declaration(model) -> type | None:
    """The declaration of ``model`` if it is already registered (no discovery)."""
    return next((d for d in _declarations if d.model is model), None)


def navigation_for(request) -> list[dict]:
    """The navigation blocks the user may see, the current page's link active. Built once per
    request: each template rendered with the request (the page, then its table) asks for it."""
    cached = getattr(request, "_qse_navigation", None)
    if cached is None:
        cached = _navigation(request)
        request._qse_navigation = cached
    return cached


def _navigation(request) -> list[dict]:
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    if not user or not user.is_authenticated or not membership:
        return []
    _discover()
    # What a URL's reversal and a label's translation depend on, read once (each read goes
    # through a context-local), and the answers of the pages' own visibility tests.
    where = (get_urlconf(settings.ROOT_URLCONF), get_script_prefix(), get_language())
    tests = tuple(bool(e.visible(request)) for e in _extra_nav if e.visible is not None)
    # The links a role sees depend only on the role table (``can`` on a model asks the role's
    # right and nothing else), the registry and ``where``: listed once per process for them.
    key = (membership.role, where, tests, len(_declarations), len(_extra_nav))
    links = _links.get(key)
    if links is None:
        links = _cache_put(_links, key, _visible_links(user, request))
    active = _active_url([url for _block, _label, url in links], request.path)
    navigation = _navigations.get((key, active))
    if navigation is None:
        navigation = _cache_put(_navigations, (key, active), Navigation(links, active))
    return navigation


def _visible_links(user, request) -> tuple[tuple[str, str, str], ...]:
    """(block, label, url) of every entry the user's role may view, in the navigation's order,
    labels translated into the active language."""
    from qse.permissions import can

    entries = [
        NavEntry(d.nav_block, d.model._meta.verbose_name_plural, d.url_name("list"), d.model, d.nav_order)
        for d in _declarations
        if d.nav_block
    ] + _extra_nav
    where = (get_urlconf(settings.ROOT_URLCONF), get_script_prefix(), get_language())
    visible = sorted(
        (
            e for e in entries
            if (e.model is None or can(user, "view", e.model)) and (e.visible is None or e.visible(request))
        ),
        key=lambda e: e.order,
    )
    return tuple((e.block, str(e.label), _safe_reverse(e.url_name, where)) for e in visible)


class Navigation(list):
    """The navigation blocks as the templates read them (``key``, ``label``, ``links`` of
    ``label``, ``url``, ``active``), with the sidebar's HTML drawn once (``html``): the
    template loop over some 80 links, each label translated and capitalized, cost 1.5 ms a page.
    Shared between requests: read it, never change it."""

    def __init__(self, links: tuple, active: str | None):
        super().__init__()
        for key, label in BLOCKS.items():
            block_links = [{"label": lb, "url": url, "active": url == active} for b, lb, url in links if b == key]
            if block_links:
                self.append({"key": key, "label": str(label), "links": block_links})
        self.html = mark_safe("".join(_block_html(block) for block in self))


# The number a block's title carries (the four blocks of the coordinator's job).
_BLOCK_NUMBERS = {"analyse": "1", "steer": "2", "evaluate": "3", "improve": "4"}
_ACTIVE = 'class="active" aria-current="page"'


def _block_html(block: dict) -> str:
    """One ``<section>`` of the sidebar, as templates/base.html wrote it with a loop."""
    number = _BLOCK_NUMBERS.get(block["key"])
    title = (f'<span class="block-no">{number}</span>' if number else "") + escape(block["label"])
    links = "".join(
        f'<li><a href="{escape(link["url"])}" '
        f'{_ACTIVE if link["active"] else ""}>{escape(capfirst(link["label"]))}</a></li>'
        for link in block["links"]
    )
    return (f'\n      <section class="nav-block" data-block="{escape(block["key"])}"><h2>{title}</h2>'
            f"\n        <ul>{links}</ul>\n      </section>\n    ")


_links: dict[tuple, tuple] = {}
_navigations: dict[tuple, Navigation] = {}
_CACHE_SIZE = 4096  # (role, language, page) answers: a few hundred in use


def _cache_put(cache: dict, key, value):
    if len(cache) >= _CACHE_SIZE:  # only unexpected keys (scripts prefixes, tests) pile up
        cache.clear()
    cache[key] = value
    return value


def _active_url(urls: list[str], path: str) -> str | None:
    """The longest navigation URL the current path is under (one active link at most)."""
    matching = [url for url in urls if path.startswith(url)]
    return max(matching, key=len) if matching else None


def _safe_reverse(name: str, where: tuple) -> str:
    """A navigation URL, reversed once per ``where`` (URL conf, script prefix, language): a
    page's navigation holds about 80 of them, reversing each on every request cost ~3 ms."""
    key = (*where, name)
    url = _reversed.get(key)
    if url is None:
        try:
            url = reverse(name)
        except NoReverseMatch:
            url = "#"
        _reversed[key] = url
    return url


_reversed: dict[tuple, str] = {}
