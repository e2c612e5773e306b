"""Everything a page writes, the API writes too: every page URL that accepts a POST is
mapped to an API operation (method and path), and that operation is in the OpenAPI schema.
A new page write without its API operation fails here, with its URL name.

The generated pages (add, edit, archive, import of a declared model, nested ones included)
are mapped from the registry; the hand-built ones are listed below by hand.
"""

from __future__ import annotations

import inspect
import re

from django.urls import URLPattern, URLResolver, get_resolver

from qse.api.children import api_prefix
from qse.registry import declarations

WRITES = {"post", "put", "patch", "delete"}

# Pages whose POST is not a record's write: signing in and out, the language, the public QR
# form (its own anonymous channel), choosing the organization (an API token names its
# own) and managing one's API tokens (created and revoked in the browser, by design).
NOT_RECORD_WRITES = {
    "login", "logout", "password_change", "password_reset", "password_reset_confirm", "set_language",
    "public_report", "qse:switch_organization", "qse:token_list", "qse:token_revoke",
    # The columns a person chooses to see on a list page: a setting of the pages themselves
    # (an API client chooses its fields by reading them), not a record.
    "qse:table_config",
    # Signing in with the organization's directory (OpenID Connect).
    "directory_start",
    # Before being a member (issue 9): the first-run setup, self-service sign-up and accepting an
    # invitation are anonymous channels, as signing in is. The staff area is the platform's,
    # outside any organization (an organization's API token cannot reach it, by design).
    "setup", "signup", "invitation_accept", "staff:organization_list", "staff:admin_invite",
}

E = "/api/v1/nonconformities/events/{event_pk}"
M = "/api/v1/memberships/{id}"
HAND_BUILT = {
    "profile": ("patch", "/api/v1/me/profile/"),
    "qse:organization_profile": ("patch", "/api/v1/organization/"),
    "qse:people": ("post", "/api/v1/invitations/"),
    "qse:person_add": ("post", "/api/v1/memberships/"),
    "qse:people_import": ("post", "/api/v1/memberships/import/commit/"),
    "qse:invitation_resend": ("post", "/api/v1/invitations/{id}/resend/"),
    "qse:invitation_revoke": ("post", "/api/v1/invitations/{id}/revoke/"),
    "qse:membership_detail": ("patch", f"{M}/"),
    "qse:membership_deactivate": ("post", f"{M}/deactivate/"),
    "qse:membership_reactivate": ("post", f"{M}/reactivate/"),
    "qse:membership_password_reset": ("post", f"{M}/password-reset/"),
    "qse:membership_invite": ("post", f"{M}/invite/"),
    "qse:membership_reassign": ("post", f"{M}/reassign/"),
    "qse:report_request": ("post", "/api/v1/reports/"),
    "qse:attachment_upload": ("post", "/api/v1/attachments/"),
    "qse:attachment_archive": ("post", "/api/v1/attachments/{id}/archive/"),
    "qse:notification_read_all": ("post", "/api/v1/notifications/read/"),
    "qse:directory_settings": ("put", "/api/v1/organization/directory/"),
    "context:policystatement_new_version": ("post", "/api/v1/context/statements/{id}/new-version/"),
    "improvement:action_progress": ("post", "/api/v1/improvement/actions/{id}/progress/"),
    "improvement:managementreview_step": ("post", "/api/v1/improvement/reviews/{id}/step/"),
    "improvement:managementreview_comment": ("post", "/api/v1/improvement/reviews/{id}/comment/"),
    "improvement:action_transition": ("post", "/api/v1/improvement/actions/{id}/transition/"),
    "improvement:action_effectiveness": ("post", "/api/v1/improvement/actions/{id}/effectiveness/"),
    "improvement:action_move": ("post", "/api/v1/improvement/actions/{id}/move/"),
    **{f"improvement:worksession_{name}": ("post", f"/api/v1/improvement/teams/{{team_pk}}/sessions/{{id}}/{step}/")
       for name, step in (("attendance", "attendance"), ("countermeasure", "countermeasures"),
                          ("invite", "invitation"), ("training", "training"))},
    "improvement:trainingtopic_action": ("post", "/api/v1/improvement/training-topics/{id}/actions/"),
    "risks:matrix_library": ("post", "/api/v1/risks/library/{id}/copy/"),
    "risks:risk_action_create": ("post", "/api/v1/risks/risks/{id}/actions/"),
    "risks:duerpversion_publish": ("post", "/api/v1/risks/duerp-versions/publish/"),
    "risks:duerpversion_archive": ("post", "/api/v1/risks/duerp-versions/{id}/archive/"),
    "nonconformities:reportingpoint_regenerate": ("post", "/api/v1/nonconformities/reporting-points/{id}/regenerate/"),
    "nonconformities:eightd_advance": ("post", "/api/v1/nonconformities/8d/{id}/advance/"),
    "nonconformities:why_add": ("post", f"{E}/whys/"),
    "nonconformities:why_edit": ("patch", f"{E}/whys/{{id}}/"),
    "nonconformities:why_root_cause": ("post", f"{E}/whys/{{id}}/root-cause/"),
    "nonconformities:analysis_item_remove": ("post", f"{E}/whys/{{id}}/archive/"),
    "nonconformities:cause_add": ("post", f"{E}/causes/"),
    "nonconformities:cause_edit": ("patch", f"{E}/causes/{{id}}/"),
    "nonconformities:cause_retain": ("post", f"{E}/causes/{{id}}/retain/"),
    "nonconformities:root_cause_add": ("post", f"{E}/root-causes/"),
    "nonconformities:root_cause_validate": ("post", f"{E}/root-causes/{{id}}/validate/"),
    "nonconformities:root_cause_action": ("post", f"{E}/root-causes/{{id}}/actions/"),
    "nonconformities:event_triage": ("post", "/api/v1/nonconformities/events/{id}/accept/"),
    "nonconformities:event_transition": ("post", "/api/v1/nonconformities/events/{id}/transition/"),
    "nonconformities:event_declare": ("post", "/api/v1/nonconformities/events/{id}/declare/"),
    "nonconformities:immediate_action_add": ("post", f"{E}/immediate-actions/"),
    "nonconformities:event_action_create": ("post", "/api/v1/nonconformities/events/{id}/actions/"),
    "nonconformities:event_add_information": ("post", "/api/v1/nonconformities/events/{id}/information/"),
    "risks:occupationalrisk_action_create": ("post", "/api/v1/risks/occupational-risks/{id}/actions/"),
    "objectives:device_token": ("post", "/api/v1/objectives/devices/{id}/token/"),
    "objectives:device_token_revoke": ("post", "/api/v1/objectives/devices/{id}/token/revoke/"),
    "compliance:checkobservation_action_create": ("post", "/api/v1/compliance/check-observations/{id}/actions/"),
    "compliance:checktype_load_library": ("post", "/api/v1/compliance/check-types/load-library/"),
    "compliance:documentversion_upload": ("post", "/api/v1/compliance/document-versions/{id}/upload/"),
    "compliance:documentversion_submit": ("post", "/api/v1/compliance/document-versions/{id}/submit/"),
    "compliance:documentversion_sign": ("post", "/api/v1/compliance/document-versions/{id}/sign/"),
    "compliance:documentversion_acknowledge": ("post", "/api/v1/compliance/document-versions/{id}/acknowledge/"),
    "risks:emissionfactor_library_load": ("post", "/api/v1/risks/emission-factors/load-library/"),
    "risks:ghginventory_calculate": ("post", "/api/v1/risks/ghg-inventories/{id}/calculate/"),
    "risks:ghginventory_action_create": ("post", "/api/v1/risks/ghg-inventories/{id}/actions/"),
    "compliance:site_applicability": ("post", "/api/v1/compliance/sites/{id}/applicability/"),
    "compliance:evaluation_action_create": ("post", "/api/v1/compliance/evaluations/{id}/actions/"),
    "compliance:evaluation_action_link": ("post", "/api/v1/compliance/evaluations/{id}/link-action/"),
    "compliance:watchitem_qualify": ("post", "/api/v1/compliance/inbox/{id}/qualify/"),
    "compliance:watchitem_bulk": ("post", "/api/v1/compliance/inbox/qualify/"),
    "compliance:source_poll": ("post", "/api/v1/compliance/sources/{id}/poll/"),
    "compliance:library": ("post", "/api/v1/compliance/library/"),
    "objectives:indicator_measure": ("post", "/api/v1/objectives/measurements/"),
    "objectives:indicator_preventive_action": ("post", "/api/v1/objectives/indicators/{id}/preventive-action/"),
    "audits:audit_transition": ("post", "/api/v1/audits/audits/{id}/transition/"),
    "audits:audit_collect_findings": ("post", "/api/v1/audits/audits/{id}/collect-findings/"),
    "audits:audit_follow_up": ("post", "/api/v1/audits/audits/{id}/follow-up/"),
    "audits:audit_sign": ("post", "/api/v1/audits/audits/{id}/sign/"),
    "audits:audit_send_plan": ("post", "/api/v1/audits/audits/{id}/send-plan/"),
    "audits:audit_distribute_report": ("post", "/api/v1/audits/audits/{id}/distribute-report/"),
    # Question banks and the checklist's building (issue 12).
    "audits:bank_library_load": ("post", "/api/v1/audits/question-banks/load-library/"),
    "audits:questionbank_copy": ("post", "/api/v1/audits/question-banks/{id}/copy/"),
    "audits:checklist_build": ("post", "/api/v1/audits/checklists/{id}/"),
    "audits:checklist_question_move": ("put", "/api/v1/audits/checklists/{id}/"),
    "audits:checklist_question_remove": ("delete", "/api/v1/audits/checklist-questions/{id}/"),
    **{f"improvement:suggestion_{step.replace('-', '_')}": ("post", f"/api/v1/improvement/suggestions/{{id}}/{step}/")
       for step in ("support", "start-review", "assess", "implement", "action", "project")},
    "improvement:improvementproject_close": ("post", "/api/v1/improvement/projects/{id}/close/"),
    "improvement:improvementproject_action": ("post", "/api/v1/improvement/projects/{id}/actions/"),
}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.callback


def accepts_writes(callback) -> bool:
    """A class-based view with a write method; a function view restricted to methods that
    include a write; an unrestricted function view that reads a posted form."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return any(hasattr(view_class, method) for method in WRITES)
    layer = callback
    while layer is not None:  # require_http_methods keeps its list in its closure
        for cell in layer.__closure__ or ():
            value = cell.cell_contents
            if isinstance(value, list | tuple) and value and all(isinstance(v, str) and v.isupper() for v in value):
                return bool({v.lower() for v in value} & WRITES)
        layer = getattr(layer, "__wrapped__", None)
    source = inspect.getsource(inspect.unwrap(callback))
    return "request.POST" in source or 'request.method == "POST"' in source


def page_writes() -> list[str]:
    return sorted({name for name, callback in _walk(get_resolver().url_patterns)
                   if not name.startswith(("api-", "schema")) and not re.match(r"^[a-z]+-[a-z]", name)
                   and accepts_writes(callback)})


def declared_api() -> dict[str, tuple[str, str]]:
    """The API operation of each generated page write, from the registry."""
    mapping = {}
    for declaration in declarations():
        base = "/api/v1/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", api_prefix(declaration)) + "/"
        mapping[declaration.url_name("add")] = ("post", base)
        mapping[declaration.url_name("edit")] = ("patch", f"{base}{{id}}/")
        mapping[declaration.url_name("archive")] = ("post", f"{base}{{id}}/archive/")
        if declaration.import_fields and not declaration.parent:
            mapping[declaration.url_name("import")] = ("post", f"{base}import/commit/")
    return mapping


def test_every_page_write_has_its_api_operation_in_the_schema(client, world):
    client.force_login(world.user())
    schema = client.get("/api/schema/", {"format": "json"}).json()
    mapping = {**declared_api(), **HAND_BUILT}

    writes = [name for name in page_writes() if name not in NOT_RECORD_WRITES]
    unmapped = [name for name in writes if name not in mapping]
    missing = [(name, *mapping[name]) for name in writes if name in mapping
               and mapping[name][0] not in schema["paths"].get(mapping[name][1], {})]

    assert not unmapped, f"page writes with no API operation declared: {unmapped}"
    assert not missing, f"API operations not in the schema: {missing}"
    assert len(writes) >= 80


def test_the_page_walk_sees_the_writes_it_must_see():
    writes = page_writes()
    # A generic edit (class-based), a require_POST step, a GET-or-POST form page, and a
    # page that is read-only.
    assert {"nonconformities:event_edit", "nonconformities:event_transition", "risks:risk_action_create",
            "nonconformities:event_triage"} <= set(writes)
    assert "risks:heatmap" not in writes and "nonconformities:dashboard" not in writes
