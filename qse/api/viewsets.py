"""Generic API viewsets: scoped by ``restrict()``, rights by ``can()``, writes through the
generic services with optimistic locking (If-Match -> 412, stale ``version`` -> 409,
neither -> 428)."""

import functools

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.relations import PKOnlyObject
from rest_framework.response import Response

from qse import services
from qse.api.authentication import activate_token_organization
from qse.api.representation import represent, representation_plan
from qse.models import ScopedModel
from qse.permissions import can

VERB_BY_METHOD = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "POST": "add", "PUT": "change", "PATCH": "change"}


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record was changed by someone else in the meantime.")
    default_code = "conflict"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record changed since the version given in If-Match.")
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Say which version of the record you read: send its \"version\" field, or an If-Match header "
        "with the ETag of your last GET. Without it your change could silently overwrite someone else's."
    )
    default_code = "precondition_required"


class CanPermission(permissions.BasePermission):
    """Model-level right from the role table; object-level from ``can()``."""

    def has_permission(self, request, view):
        if getattr(request, "membership", None) is None:
            return False
        return can(request.user, view.verb_for(request), view.queryset_model)

    def has_object_permission(self, request, view, obj):
        return can(request.user, view.verb_for(request), obj)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key choice limited to what the user may see in the current organization."""

    def get_attribute(self, instance):
        # The id the row holds (``owner_id``), read directly: DRF's own path looks the model
        # field up by name for every row and field (a fifth of a 1,000-row list's time).
        if self.use_pk_only_optimization() and len(self.source_attrs) == 1:
            attname = _attname(type(instance), self.source_attrs[0])
            if attname is not None:
                return PKOnlyObject(pk=getattr(instance, attname))
        return super().get_attribute(instance)

    def get_queryset(self):
        request = self.context.get("request")
        queryset = super().get_queryset()
        if request is None:
            return queryset.none()
        if issubclass(queryset.model, ScopedModel):
            return queryset.restrict(request.user, "view").filter(archived_at__isnull=True)
        from qse.forms import members_queryset

        return members_queryset()


class ScopedSerializer(serializers.ModelSerializer):
    serializer_related_field = ScopedRelatedField
    version = serializers.IntegerField(required=False, help_text=_("Version read; a stale one is a conflict."))
    url = serializers.SerializerMethodField()

    # Off, the DRF's own field-by-field path (the comparison test turns it off).
    fast_representation = True

    def to_representation(self, instance):
        """DRF's output, from a plan of the declared fields built once per serializer
        instance (qse/api/representation.py): a 1,000-row list builds it once."""
        if not self.fast_representation or not isinstance(instance, Model):
            return super().to_representation(instance)  # a dict (validated data) reads by key
        plan = self.__dict__.get("_representation_plan")
        if plan is None:
            plan = self.__dict__["_representation_plan"] = representation_plan(self)
        return represent(plan, instance)

    def get_url(self, obj) -> str:
        if not hasattr(obj, "get_absolute_url"):
            return ""
        template = self._url_template(obj)
        return template.replace(_PK_MARK, str(obj.pk)) if template else obj.get_absolute_url()

    def _url_template(self, obj) -> str | None:
        """The detail URL with a mark for the primary key, built by one ``reverse()`` per
        list instead of one per row (at limit=1000, the URLs were a tenth of the response).
        Used only for a top-level declared model whose own URL, on the first row, is the
        declared detail page's; any other model's URL is asked of each row."""
        cache = self.__dict__.setdefault("_url_templates", {})
        model = type(obj)
        if model not in cache:
            cache[model] = _detail_url_template(model, obj)
        return cache[model]


_PK_MARK = "999999999999"


@functools.cache
def _attname(model, name: str) -> str | None:
    """The column attribute of a model's foreign key (``owner`` -> ``owner_id``), else None."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    concrete_key = getattr(field, "concrete", False) and field.is_relation and not field.many_to_many
    return field.attname if concrete_key else None


def _detail_url_template(model, obj) -> str | None:
    from qse.registry import declaration_for

    declaration = declaration_for(model)
    if declaration is None or declaration.parent:
        return None
    try:
        template = reverse(declaration.url_name("detail"), args=[_PK_MARK])
    except NoReverseMatch:
        return None
    if template.count(_PK_MARK) != 1 or template.replace(_PK_MARK, str(obj.pk)) != obj.get_absolute_url():
        return None
    return template


class ArchiveSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)


class ScopedPagination(LimitOffsetPagination):
    # Without a cap, ?limit=10**25 overflows PostgreSQL's bigint LIMIT (a 500), and any
    # limit lets one call read a whole table.
    max_limit = 1000


def _data(serializer) -> dict:
    return {k: v for k, v in serializer.validated_data.items() if k != "version"}


class ScopedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """No DELETE: records are archived (POST .../archive/)."""

    declaration = None
    permission_classes = [permissions.IsAuthenticated, CanPermission]
    pagination_class = ScopedPagination

    @property
    def queryset_model(self):
        return self.declaration.model

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) == "archive":
            return "archive"
        return VERB_BY_METHOD.get(request.method, "change")

    def initial(self, request, *args, **kwargs):
        # A token names its organization: activate it before permissions are checked.
        self.perform_authentication(request)
        activate_token_organization(request)
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        queryset = self.declaration.get_queryset(self.request).restrict(self.request.user, "view")
        if self.action == "list" and self.request.query_params.get("archived") != "1":
            queryset = queryset.filter(archived_at__isnull=True)
        if self.action in ("list", "retrieve"):
            # The pages' joins (owner, process, a risk's matrix...) are for their labels; the API
            # writes related ids, which the row holds: at limit=1000 the joins, and the matrix
            # JSON decoded once per row, were most of the response's time.
            queryset = queryset.select_related(None).prefetch_related(*self._many_to_many_written())
        return queryset

    def _many_to_many_written(self) -> list[str]:
        """The many-to-many fields the serializer writes (ids): one query each, not one a row."""
        written = set(getattr(self.declaration.serializer.Meta, "fields", ()))
        return [field.name for field in self.declaration.model._meta.many_to_many if field.name in written]

    # Writes go through the declaration, so the API and the pages call the same service.
    def perform_create(self, serializer):
        serializer.instance = self._call(self.declaration.create, self.request, _data(serializer))

    def perform_update(self, serializer):
        expected = self._expected_version(serializer)
        serializer.instance = self._call(
            self.declaration.update, self.request, serializer.instance, _data(serializer), expected
        )

    def _expected_version(self, serializer):
        """The version the client read: from If-Match, else from the body; an update that
        names neither could overwrite another user's change unseen (428)."""
        if_match = self.request.headers.get("If-Match")
        if if_match:
            if if_match.strip('W/"') != str(serializer.instance.version):
                raise PreconditionFailed()
            return serializer.instance.version
        if serializer.validated_data.get("version") is None:
            raise PreconditionRequired()
        return serializer.validated_data["version"]

    def _call(self, service, *args, **kwargs):
        try:
            return service(*args, **kwargs)
        except services.ConflictError as conflict:
            raise Conflict() from conflict
        except DjangoValidationError as error:
            raise ApiValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from error
        except DjangoPermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from error

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data.get("version")}"'
        return response

    @extend_schema(request=ArchiveSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        obj = self.get_object()
        payload = ArchiveSerializer(data=request.data)  # a body that is not an object is a 400, not a 500
        payload.is_valid(raise_exception=True)
        self._call(services.object_archive, obj=obj, acting_user=request.user,
                   reason=payload.validated_data.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)


def viewset_for(declaration):
    """Build the API viewset of a declared model."""
    serializer = declaration.serializer
    attrs = {
        "declaration": declaration,
        "serializer_class": serializer,
        "queryset": declaration.model.objects.none(),
        "__doc__": f"{declaration.model._meta.verbose_name_plural}".capitalize(),
    }
    if declaration.filterset:
        attrs["filterset_class"] = declaration.filterset
    bases = (*declaration.api_mixins, ScopedViewSet)
    return type(f"{declaration.model.__name__}ViewSet", bases, attrs)
