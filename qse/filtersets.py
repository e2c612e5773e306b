"""FilterSet base shared by pages and the API: related choices come from ``restrict()``."""

import django_filters
from django.contrib.auth import get_user_model
from django_filters.fields import ModelChoiceField, ModelMultipleChoiceField

from qse.fields import hidden_fields, touches_hidden
from qse.labels import person_label
from qse.models import ScopedModel
from qse.widgets import draw_in_python, use_search_select


class PersonChoiceField(ModelChoiceField):
    """django-filter's choice field (with its "none" choice), people by full name."""

    def label_from_instance(self, user) -> str:
        return person_label(user)


class PersonMultipleChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return person_label(user)


class ScopedFilterSet(django_filters.FilterSet):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        hidden = hidden_fields(user, self._meta.model)
        for name, filter_ in list(self.filters.items()):
            if touches_hidden(name, hidden) or touches_hidden(filter_.field_name or "", hidden):
                del self.filters[name]  # no filter on what the user may not see: no oracle
        for filter_ in self.filters.values():
            queryset = getattr(filter_, "queryset", None)
            if queryset is None or user is None:
                continue
            if issubclass(queryset.model, ScopedModel):
                filter_.queryset = queryset.model.objects.restrict(user, "view")
            elif queryset.model is get_user_model():
                from qse.forms import members_queryset

                filter_.queryset = members_queryset()
                # People by their full name in the choices, as in the forms.
                many = isinstance(filter_, django_filters.ModelMultipleChoiceFilter)
                filter_.field_class = PersonMultipleChoiceField if many else PersonChoiceField

    @property
    def form(self):
        """The filter form, where a choice among too many records becomes a search box."""
        form = super().form
        if not getattr(self, "_large_choices_checked", False):
            self._large_choices_checked = True
            for field in form.fields.values():
                use_search_select(field)
                draw_in_python(field)
        return form
