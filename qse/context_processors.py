def navigation(request):
    from django.conf import settings

    from qse.registry import navigation_for

    return {"navigation": navigation_for(request), "signup_enabled": settings.QSE_SIGNUP_ENABLED}
