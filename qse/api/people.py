"""API of the organization's people and profiles: memberships and invitations (admins
manage, coordinators read), the organization's profile, and one's own profile (``me``).
The same services as the pages (``qse.people``, ``qse.profiles``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from qse import people, profiles
from qse.api.operations import ImportApiMixin, MemberApiView, MemberViewSet
from qse.models import Invitation, Membership, Organization, Process, Site
from qse.people_import import PeopleImport
from qse.permissions import can
from qse.roles import Role


class CanSeePeople(permissions.BasePermission):
    """Reading memberships and invitations is the role table's ``view`` on memberships."""

    def has_permission(self, request, view):
        return getattr(request, "membership", None) is not None and can(request.user, "view", Membership)


def _scoped(model):
    """A choice of the organization's sites or processes, as the user may see them."""

    class Field(serializers.PrimaryKeyRelatedField):
        def get_queryset(self):
            request = self.context["request"]
            return model.objects.restrict(request.user, "view").filter(archived_at__isnull=True)

    return Field(many=True, required=False)


class MembershipSerializer(serializers.ModelSerializer):
    full_name = serializers.SerializerMethodField()
    email = serializers.EmailField(source="user.email", read_only=True)
    has_account = serializers.SerializerMethodField()
    last_login = serializers.DateTimeField(source="user.last_login", read_only=True)
    sites = _scoped(Site)
    processes = _scoped(Process)

    class Meta:
        model = Membership
        fields = ["id", "user", "full_name", "email", "role", "sites", "processes", "is_active", "has_account",
                  "last_login", "created_at", "deactivated_at"]
        read_only_fields = ["user", "is_active", "created_at", "deactivated_at"]

    def get_full_name(self, membership) -> str:
        return membership.user.get_full_name() or membership.user.get_username()

    def get_has_account(self, membership) -> bool:
        return membership.user.has_usable_password()


class PersonCreateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.CONTRIBUTOR)


class ReassignSerializer(serializers.Serializer):
    owner = serializers.IntegerField(help_text="Id of the active member who takes the actions over.")
    actions = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class MembershipViewSet(ImportApiMixin, MemberViewSet):
    """The organization's members: role, limits to sites and processes, account state.
    POST adds a person without an account (named in records, invited later); ``import/``
    brings many in from a spreadsheet (last name, first name, e-mail, role, site, process)."""

    serializer_class = MembershipSerializer
    queryset = Membership.objects.all()  # the model, for the tenancy sweep; rows come from get_queryset
    permission_classes = MemberViewSet.permission_classes + [CanSeePeople]
    declaration = PeopleImport

    def verb_for(self, request) -> str:
        return "view" if request.method in ("GET", "HEAD", "OPTIONS") else "change"

    # Writes on no one record: refused up front (the record writes are refused by their
    # services once the record is found, so another organization's stays a 404).
    COLLECTION_WRITES = frozenset({"create", "import_upload", "import_validate", "import_commit"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action in self.COLLECTION_WRITES and not can(request.user, "add", Membership):
            raise ApiPermissionDenied(people.manage_refusal())

    def get_queryset(self):
        return people.people_of(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=PersonCreateSerializer, responses={201: MembershipSerializer})
    def create(self, request):
        data = PersonCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = self.call(people.person_create, acting_user=request.user, **data.validated_data)
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        membership = self.get_object()
        serializer = self.get_serializer(membership, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        updated = self.call(
            people.membership_update, membership=membership, acting_user=request.user,
            role=values.get("role", membership.role), sites=values.get("sites", list(membership.sites.all())),
            processes=values.get("processes", list(membership.processes.all())),
        )
        return Response(self.get_serializer(Membership.objects.get(pk=updated.pk)).data)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        membership = self.call(people.membership_deactivate, membership=self.get_object(), acting_user=request.user)
        return Response(self.get_serializer(membership).data)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        membership = self.call(people.membership_reactivate, membership=self.get_object(), acting_user=request.user)
        return Response(self.get_serializer(membership).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path="password-reset")
    def password_reset(self, request, pk=None):
        self.call(people.password_reset_send, membership=self.get_object(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=EmailSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        data = EmailSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = self.call(people.person_invite, membership=self.get_object(), email=data.validated_data["email"],
                               acting_user=request.user)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReassignSerializer, responses=inline_serializer("Reassigned", {"moved": serializers.IntegerField()}))
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        from qse.forms import members_queryset

        membership = self.get_object()
        data = ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        owner = members_queryset().filter(pk=data.validated_data["owner"]).first()
        if owner is None:
            raise serializers.ValidationError({"owner": [people.not_a_member_message()]})
        moved = self.call(people.actions_reassign, user=request.user, person=membership.user, new_owner=owner,
                          action_ids=data.validated_data["actions"])
        return Response({"moved": moved})


class InvitationSerializer(serializers.ModelSerializer):
    sites = _scoped(Site)
    processes = _scoped(Process)

    class Meta:
        model = Invitation
        fields = ["id", "email", "first_name", "last_name", "role", "sites", "processes", "sent_at", "send_count",
                  "expires_at"]
        read_only_fields = ["sent_at", "send_count", "expires_at"]


class InvitationViewSet(MemberViewSet):
    """Invitations waiting for an answer. POST sends one (an e-mail with a single-use link)."""

    serializer_class = InvitationSerializer
    queryset = Invitation.objects.all()
    permission_classes = MemberViewSet.permission_classes + [CanSeePeople]

    def get_queryset(self):
        return people.open_invitations_of(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = people.InvitationData(**serializer.validated_data)
        invitation = self.call(people.invitation_create, data=data, acting_user=request.user)
        return Response(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        invitation = self.call(people.invitation_resend, invitation=self.get_object(), acting_user=request.user)
        return Response(self.get_serializer(invitation).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        self.call(people.invitation_revoke, invitation=self.get_object(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "siret", "sector", "headcount", "address", "default_language", "created_at"]
        read_only_fields = ["slug", "created_at"]


class OrganizationProfileView(MemberApiView):
    """The current organization's profile; its administrators change it."""

    @extend_schema(responses=OrganizationSerializer, operation_id="organization_retrieve")
    def get(self, request):
        return Response(OrganizationSerializer(request.organization).data)

    @extend_schema(request=OrganizationSerializer, responses=OrganizationSerializer, operation_id="organization_partial_update")
    def patch(self, request):
        serializer = OrganizationSerializer(request.organization, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organization = self.call(profiles.organization_update, organization=request.organization,
                                 data=serializer.validated_data, acting_user=request.user)
        return Response(OrganizationSerializer(organization).data)


class ProfileSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=[("", "—"), ("fr", "fr"), ("en", "en")], required=False)
    digest_weekday = serializers.IntegerField(min_value=0, max_value=4, required=False)
    email_kinds = serializers.ListField(child=serializers.CharField(), required=False,
                                        help_text="Reminder kinds also sent by e-mail (the others stay in the app).")


def profile_data(user) -> dict:
    from qse.reminders import registered_kinds

    profile = profiles.preferences_of(user)
    return {"first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "language": profile.language, "digest_weekday": profile.digest_weekday,
            "email_kinds": sorted(set(registered_kinds()) - set(profile.muted_email_kinds or []))}


class MyProfileView(MemberApiView):
    """One's own name, language and reminder preferences (the profile page's)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=ProfileSerializer, operation_id="me_profile_retrieve")
    def get(self, request):
        return Response(ProfileSerializer(profile_data(request.user)).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer, operation_id="me_profile_partial_update")
    def patch(self, request):
        serializer = ProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.call(profiles.profile_update, user=request.user, data=serializer.validated_data)
        return Response(ProfileSerializer(profile_data(request.user)).data)


