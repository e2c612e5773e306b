"""Factories for sensor devices (tests and demo seed)."""

import factory

from objectives.models import Device
from objectives.sensors_choices import DeviceKind
from qse.factories import OrganizationFactory


class DeviceFactory(factory.django.DjangoModelFactory):
    """A noise meter measuring 30 to 140 dB(A), out of range above 85 dB(A) (the upper
    exposure action value of the French labour code, R. 4431-2)."""

    class Meta:
        model = Device

    organization = factory.LazyAttribute(lambda d: d.site.organization if d.site else OrganizationFactory())
    site = None
    name = factory.Sequence(lambda n: f"Sonomètre {n}")
    code = factory.Sequence(lambda n: f"sono-{n}")
    kind = DeviceKind.NOISE_METER
    unit = "dB(A)"
    valid_min = 30.0
    valid_max = 140.0
    limit_high = 85.0
