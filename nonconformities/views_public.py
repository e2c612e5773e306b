"""(being built)"""

urlpatterns: list = []


def public_report(request, token):
    from django.http import Http404

    raise Http404
