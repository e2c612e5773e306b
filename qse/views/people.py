"""The People page (admins manage, coordinators read) and a person's page: invitations,
role and limits, deactivation with the reassignment of open actions, password-reset links,
people without an account. Each write calls one service of ``qse.people``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qse import people
from qse.forms_people import InviteForm, MembershipForm, PersonWithoutAccountForm, ReassignForm
from qse.models import Invitation, Membership
from qse.permissions import can
from qse.registry import add_nav
from qse.views.onboarding import _form_errors


def _require_view(request) -> None:
    if request.membership is None or not can(request.user, "view", Membership):
        raise PermissionDenied(_("Only the organization's administrators and coordinators see its people."))


def _refused(request, error) -> None:
    messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))


@login_required
def people_list(request):
    _require_view(request)
    invite_form = InviteForm(request.POST or None, user=request.user, prefix="invite")
    person_form = PersonWithoutAccountForm(prefix="person")
    if request.method == "POST":
        if not can(request.user, "add", Membership):
            raise PermissionDenied(_("Only the organization's administrators manage its people."))
        if invite_form.is_valid():
            data = people.InvitationData(**invite_form.cleaned_data)
            try:
                invitation = people.invitation_create(data=data, acting_user=request.user)
            except ValidationError as error:
                _form_errors(invite_form, error)
            else:
                messages.success(request, _("Invitation sent to {email}.").format(email=invitation.email))
                return redirect("qse:people")
    query = request.GET.get("q", "").strip()
    page = Paginator(people.people_of(request.user, query=query), 50).get_page(request.GET.get("page"))
    return render(request, "qse/people/people.html", {
        "page": page, "query": query, "invite_form": invite_form, "person_form": person_form,
        "invitations": people.open_invitations_of(request.user)[:100],
        "may_manage": can(request.user, "add", Membership),
    })


@login_required
@require_POST
def person_add(request):
    """A person without an account, named in records and invited later."""
    _require_view(request)
    form = PersonWithoutAccountForm(request.POST, prefix="person")
    if form.is_valid():
        try:
            membership = people.person_create(**form.cleaned_data, acting_user=request.user)
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, _("{name} added (without an account).").format(name=membership.user.get_full_name()))
            return redirect("qse:membership_detail", membership.pk)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("qse:people")


def _membership(request, pk: int) -> Membership:
    _require_view(request)
    return get_object_or_404(Membership.objects.restrict(request.user, "view").select_related("user"), pk=pk)


@login_required
def membership_detail(request, pk: int):
    membership = _membership(request, pk)
    initial = {"role": membership.role, "sites": membership.sites.all(), "processes": membership.processes.all()}
    form = MembershipForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            people.membership_update(membership=membership, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Role and limits saved."))
            return redirect("qse:membership_detail", membership.pk)
    actions = people.open_actions_of(user=request.user, person=membership.user)
    return render(request, "qse/people/person.html", {
        "membership": membership, "person": membership.user, "form": form,
        "actions": actions[:200], "action_count": actions.count(),
        "reassign_form": ReassignForm(exclude=membership.user),
        "may_manage": can(request.user, "change", membership),
        "has_account": membership.user.has_usable_password(),
    })


def _membership_step(request, pk: int, service, done: str):
    """One step on a person (deactivate, reactivate, send a reset link): the service's
    refusal, or ``done``, shown on their page."""
    membership = _membership(request, pk)
    try:
        service(membership=membership, acting_user=request.user)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, done.format(email=membership.user.email))
    return redirect("qse:membership_detail", pk)


@login_required
@require_POST
def membership_deactivate(request, pk: int):
    return _membership_step(request, pk, people.membership_deactivate,
                            _("Deactivated: they no longer sign in to the organization. Their records stay."))


@login_required
@require_POST
def membership_reactivate(request, pk: int):
    return _membership_step(request, pk, people.membership_reactivate, _("Reactivated."))


@login_required
@require_POST
def membership_password_reset(request, pk: int):
    return _membership_step(request, pk, people.password_reset_send,
                            _("A link to choose a new password was sent to {email}."))


@login_required
@require_POST
def membership_invite(request, pk: int):
    """Invite a person who has no account yet, with their current role and limits."""
    membership = _membership(request, pk)
    try:
        invitation = people.person_invite(membership=membership, email=request.POST.get("email", ""), acting_user=request.user)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Invitation sent to {email}.").format(email=invitation.email))
    return redirect("qse:membership_detail", pk)


@login_required
@require_POST
def membership_reassign(request, pk: int):
    """Give the chosen open actions of the person to another member."""
    membership = _membership(request, pk)
    form = ReassignForm(request.POST, exclude=membership.user)
    ids = [int(v) for v in request.POST.getlist("actions") if v.isdecimal()]
    if not form.is_valid() or not ids:
        messages.error(request, _("Choose the actions and their new owner."))
        return redirect("qse:membership_detail", pk)
    try:
        moved = people.actions_reassign(user=request.user, person=membership.user,
                                        new_owner=form.cleaned_data["owner"], action_ids=ids)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("{count} action(s) reassigned.").format(count=moved))
    return redirect("qse:membership_detail", pk)


def _invitation(request, pk: int) -> Invitation:
    _require_view(request)
    return get_object_or_404(people.open_invitations_of(request.user), pk=pk)


@login_required
@require_POST
def invitation_resend(request, pk: int):
    invitation = _invitation(request, pk)
    try:
        people.invitation_resend(invitation=invitation, acting_user=request.user)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Invitation sent again to {email}; the previous link no longer works.").format(email=invitation.email))
    return redirect("qse:people")


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = _invitation(request, pk)
    try:
        people.invitation_revoke(invitation=invitation, acting_user=request.user)
    except PermissionDenied as error:
        _refused(request, error)
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("qse:people")


add_nav("settings", gettext_lazy("People"), "qse:people", model=Membership, order=5)
