"""Input checks shared by forms, serializers and services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def luhn_ok(digits: str) -> bool:
    """Pure: the Luhn checksum (SIREN and SIRET numbers use it)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


# La Poste's SIRETs break the Luhn rule: their SIREN is 356000000 and INSEE checks the digit sum.
LA_POSTE_SIREN = "356000000"


def siret_ok(value: str) -> bool:
    """Pure: 14 digits passing Luhn (or La Poste's rule of a digit sum multiple of 5)."""
    if len(value) != 14 or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_SIREN + "00048":
        return sum(int(c) for c in value) % 5 == 0
    return luhn_ok(value)


def validate_siret(value: str) -> None:
    """A SIRET is optional, but a given one must be real: 14 digits with a valid checksum."""
    compact = (value or "").replace(" ", "")
    if compact and not siret_ok(compact):
        raise ValidationError(
            _("A SIRET number has 14 digits with a valid check digit (as on the Kbis extract)."), code="invalid",
        )
