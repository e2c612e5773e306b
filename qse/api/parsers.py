"""The API's JSON parser: a hostile body is a 400, never a 500."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request of this API nests deeper than a few levels; a limit well above them keeps the
# serializers, history and logging (all recursive) away from Python's recursion limit.
MAX_DEPTH = 32


def depth_exceeds(value, limit: int) -> bool:
    """True when lists and objects nest deeper than ``limit`` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested past ``MAX_DEPTH`` (Python's own decoder
    raises RecursionError, not ValueError, on ~100,000 nested brackets)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("The JSON body is nested too deeply.")) from error
        if depth_exceeds(data, MAX_DEPTH):
            raise ParseError(_("The JSON body is nested too deeply."))
        return data
