def navigation(request):
    from qse.registry import navigation_for

    return {"navigation": navigation_for(request)}
