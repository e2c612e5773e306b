import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qse.settings")
application = get_wsgi_application()

# After start-up, before the first request: full garbage collections skip the worker's
# long-lived objects (qse/gc_freeze.py; the benchmark measures with the same freeze).
from qse.gc_freeze import freeze_after_start_up  # noqa: E402 (needs the settings configured above)

freeze_after_start_up()
