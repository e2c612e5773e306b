"""API writes that go through the context services instead of the generic ones."""

from django.utils import timezone

from context import services


def _data(serializer) -> dict:
    return {k: v for k, v in serializer.validated_data.items() if k != "version"}


class PolicyStatementApiMixin:
    def perform_create(self, serializer):
        serializer.instance = self._call(services.policy_create, acting_user=self.request.user, data=_data(serializer))


class ClimateDecisionApiMixin:
    def perform_create(self, serializer):
        serializer.instance = self._call(
            services.climate_decision_record, acting_user=self.request.user, data=_data(serializer),
            today=timezone.localdate(),
        )

    def perform_update(self, serializer):
        expected = self._expected_version(serializer)
        serializer.instance = self._call(
            services.climate_decision_update, decision=serializer.instance, acting_user=self.request.user,
            data=_data(serializer), expected_version=expected,
        )
