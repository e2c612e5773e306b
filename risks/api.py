"""API writes of matrices and risks go through their services (validation, scores, rescoring)."""

from risks import services


def _data(serializer) -> dict:
    return {k: v for k, v in serializer.validated_data.items() if k != "version"}


class RiskMatrixApiMixin:
    def perform_create(self, serializer):
        serializer.instance = self._call(services.matrix_create, acting_user=self.request.user, data=_data(serializer))

    def perform_update(self, serializer):
        serializer.instance = self._call(
            services.matrix_update, matrix=serializer.instance, acting_user=self.request.user,
            data=_data(serializer), expected_version=self._expected_version(serializer),
        )


class RiskApiMixin:
    def perform_create(self, serializer):
        serializer.instance = self._call(services.risk_create, acting_user=self.request.user, data=_data(serializer))

    def perform_update(self, serializer):
        serializer.instance = self._call(
            services.risk_update, risk=serializer.instance, acting_user=self.request.user,
            data=_data(serializer), expected_version=self._expected_version(serializer),
        )
