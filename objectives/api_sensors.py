"""The sensor API: batches of readings (JSON or CSV) authenticated by a device token, an API
token or a session; a device's token issued and revoked; a device's series from the roll-ups.

A device sends ``Authorization: Device <key>`` and writes to itself only; a person (or a
gateway's API token) names each row's device by its code and must be allowed to change it.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from objectives import selectors_sensors, sensors_ingest, sensors_services
from objectives.models import Device
from objectives.sensors_choices import Grain
from qse import tenancy
from qse.api.authentication import ApiTokenAuthentication, activate_token_organization
from qse.api.parsers import BoundedJSONParser
from qse.models import Organization
from qse.models.tokens import token_digest
from qse.permissions import can


class DeviceCredential:
    """What a device token proves: this device, in this organization."""

    def __init__(self, device_id: int, organization_id: int):
        self.device_id, self.organization_id = device_id, organization_id


class DeviceTokenAuthentication(BaseAuthentication):
    """``Authorization: Device <key>``: the device's own token (digest looked up by the
    SECURITY DEFINER function, before any organization is known)."""

    keyword = "Device"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Device <key>."))
        try:
            key = parts[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked sensor token.")) from error
        with connection.cursor() as cursor:
            cursor.execute("SELECT device_id, organization_id FROM objectives_device_for_token(%s)", [token_digest(key)])
            found = cursor.fetchone()
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked sensor token."))
        return AnonymousUser(), DeviceCredential(*found)

    def authenticate_header(self, request):
        return self.keyword


class CsvTextParser(BaseParser):
    """A CSV batch as text (UTF-8, a BOM tolerated)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return stream.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise exceptions.ParseError(_("The CSV batch is not UTF-8 text.")) from error


class SenderPermission(BasePermission):
    """A device token, or a member allowed to change sensors."""

    def has_permission(self, request, view):
        if isinstance(request.auth, DeviceCredential):
            return True
        if not request.user.is_authenticated or getattr(request, "membership", None) is None:
            return False
        return can(request.user, "change", Device)


_REPORT = inline_serializer("ReadingBatchReport", {
    "received": serializers.IntegerField(), "inserted": serializers.IntegerField(),
    "already_stored": serializers.IntegerField(),
    "errors": serializers.ListField(child=inline_serializer("ReadingRowError", {
        "row": serializers.IntegerField(), "field": serializers.CharField(), "message": serializers.CharField(),
    })),
})
_READING = inline_serializer("Reading", {
    "device": serializers.CharField(required=False, help_text=gettext_lazy("The sensor's code (not needed with a device token).")),
    "at": serializers.DateTimeField(help_text=gettext_lazy("When it was measured, ISO 8601 with its time zone.")),
    "value": serializers.FloatField(),
    "unit": serializers.CharField(required=False),
})


class ReadingBatchView(APIView):
    """Store a batch of readings, all or nothing (idempotent on device and time)."""

    authentication_classes = [DeviceTokenAuthentication, ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [SenderPermission]
    parser_classes = [BoundedJSONParser, CsvTextParser]  # JSON: for the schema; the view reads the body

    def initial(self, request, *args, **kwargs):
        self.perform_authentication(request)
        if isinstance(request.auth, DeviceCredential):
            tenancy.activate(None, Organization.objects.get(pk=request.auth.organization_id))
        else:
            activate_token_organization(request)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        request={"application/json": inline_serializer("ReadingBatch", {"readings": serializers.ListField(child=_READING)}),
                 "text/csv": {"type": "string"}},
        responses={200: _REPORT, 400: _REPORT, 413: None},
    )
    def post(self, request):
        if int(request.headers.get("Content-Length") or 0) > sensors_ingest.MAX_BYTES:
            return Response({"detail": _("A batch is at most {size} MB.").format(size=sensors_ingest.MAX_BYTES // 2**20)},
                            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        try:
            payload, fmt = self._payload(request)
            devices, default = self._devices(request)
            report = sensors_ingest.readings_ingest(
                organization=tenancy.current_organization(), payload=payload, fmt=fmt, devices=devices, default=default,
            )
        except sensors_ingest.BatchError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(report.as_dict(), status=status.HTTP_400_BAD_REQUEST if report.errors else status.HTTP_200_OK)

    def _payload(self, request) -> tuple[str, str]:
        """The body as text and its format; a JSON body is not parsed here (PostgreSQL reads it)."""
        if request.content_type.startswith("text/csv"):
            return request.data, "csv"
        if not request.content_type.startswith("application/json"):
            raise exceptions.UnsupportedMediaType(request.content_type)
        try:
            return request.body.decode("utf-8"), "json"
        except UnicodeDecodeError as error:
            raise sensors_ingest.BatchError(_("The batch is not UTF-8 text.")) from error

    def _devices(self, request) -> tuple[list[Device], Device | None]:
        """The devices this sender may write to: the token's own, or those the member may change."""
        live = Device.objects.filter(archived_at__isnull=True)
        if isinstance(request.auth, DeviceCredential):
            device = live.filter(pk=request.auth.device_id).first()
            if device is None:
                raise exceptions.AuthenticationFailed(_("Invalid or revoked sensor token."))
            return [device], device
        # Only what a reading is checked against, as tuples: a gateway's organization may have thousands.
        return sensors_ingest.device_limits(live.restrict(request.user, "change")), None


# --- a device's token and series, on the device's viewset (api_mixins) -----------------------

class DeviceApiMixin:
    """``POST devices/{id}/token/`` (a new key, shown once), ``POST devices/{id}/token/revoke/``
    and ``GET devices/{id}/series/?grain=hour|day&start=&end=``."""

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) in ("token", "token_revoke"):
            return "change"
        return super().verb_for(request)

    @extend_schema(request=None, responses={201: inline_serializer("DeviceToken", {
        "token": serializers.CharField(), "prefix": serializers.CharField()})})
    @action(detail=True, methods=["post"])
    def token(self, request, pk=None):
        device = self.get_object()
        device, key = self._call(sensors_services.device_token_issue, device=device, acting_user=request.user)
        return Response({"token": key, "prefix": device.token_prefix}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path="token/revoke")
    def token_revoke(self, request, pk=None):
        device = self.get_object()
        self._call(sensors_services.device_token_revoke, device=device, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[
            OpenApiParameter("grain", enum=[g.value for g in Grain], required=False),
            OpenApiParameter("start", datetime.date, required=False),
            OpenApiParameter("end", datetime.date, required=False, description=gettext_lazy("Excluded.")),
        ],
        responses={200: inline_serializer("DeviceSeries", {
            "grain": serializers.CharField(), "start": serializers.DateField(), "end": serializers.DateField(),
            "last_value": serializers.FloatField(allow_null=True), "last_measured_at": serializers.DateTimeField(allow_null=True),
            "points": serializers.ListField(child=inline_serializer("SeriesPoint", {
                "at": serializers.CharField(), "readings": serializers.IntegerField(), "mean": serializers.FloatField(),
                "minimum": serializers.FloatField(), "maximum": serializers.FloatField(),
                "out_of_range": serializers.IntegerField(),
            })),
        })},
    )
    @action(detail=True, methods=["get"])
    def series(self, request, pk=None):
        device = self.get_object()
        grain, start, end = series_query(request.query_params)
        points = selectors_sensors.device_series(device_id=device.pk, start=start, end=end, grain=grain)
        latest = selectors_sensors.device_latest(device_id=device.pk)
        return Response({
            "grain": grain, "start": start, "end": end,
            "last_value": latest[0] if latest else None, "last_measured_at": latest[1] if latest else None,
            "points": [{**point.__dict__, "at": point.at.isoformat()} for point in points],
        })


class SeriesQuery(serializers.Serializer):
    grain = serializers.ChoiceField(choices=Grain.choices, required=False, default=Grain.DAY)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs):
        end = attrs.get("end") or timezone.localdate() + datetime.timedelta(days=1)
        start = attrs.get("start") or end - datetime.timedelta(days=7 if attrs["grain"] == Grain.HOUR else 365)
        if start >= end:
            raise serializers.ValidationError(_("The start must be before the end."))
        if (end - start).days > 3660:
            raise serializers.ValidationError(_("Ask for ten years at most."))
        return {**attrs, "start": start, "end": end}


def series_query(params) -> tuple[str, datetime.date, datetime.date]:
    """(grain, start, end) from query parameters, with defaults: a week of hours, a year of days."""
    query = SeriesQuery(data=params)
    query.is_valid(raise_exception=True)
    return query.validated_data["grain"], query.validated_data["start"], query.validated_data["end"]


def device_or_404(request, pk: int, verb: str = "view") -> Device:
    """A device the user may see (404 otherwise, other organizations included)."""
    return get_object_or_404(Device.objects.restrict(request.user, verb), pk=pk)


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    """The schema names the device token (``Authorization: Device <key>``) of the readings endpoint."""

    target_class = "objectives.api_sensors.DeviceTokenAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Device <key>: the key shown once when the sensor's token is issued."}
