"""The column chooser of a list page: the user's choice of visible columns, stored per user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qse.permissions import can
from qse.registry import declarations
from qse.table_config import choosable, table_config_save


@login_required
@require_POST
def table_config(request, table_name: str):
    """Save the chosen columns (unknown names dropped) or, with ``reset``, go back to the default."""
    declaration = next((d for d in declarations() if d.table_name() == table_name), None)
    if declaration is None or request.membership is None or not can(request.user, "view", declaration.model):
        raise Http404
    names = [name for name, _header, _key in choosable(declaration.table([]))]
    wanted = [name for name in request.POST.getlist("columns") if name in names]
    table_config_save(user=request.user, table_name=table_name, columns=None if "reset" in request.POST else wanted)
    messages.success(request, _("Columns saved."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect(declaration.url_name("list"))
