# Pilote QSE — production image (gunicorn; the same image runs migrate, worker and beat).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=qse.settings

# WeasyPrint runtime libraries, fonts for the PDFs, gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv

WORKDIR /app

# Dependencies first (cached layer while uv.lock does not change).
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --compile-bytecode

COPY . .

# Translations and static files (whitenoise manifest storage is only used when
# QSE_PRODUCTION=1, so collectstatic runs with it). The SECRET_KEY is a build-time
# dummy, never used at run time.
# (compilemessages refuses to run when the tree has no locale directory at all.)
RUN export SECRET_KEY=build-time-dummy-not-secret QSE_PRODUCTION=1 \
    && if [ -n "$(find . -type d -name locale -print -quit)" ]; then \
        python manage.py compilemessages --ignore=var; fi \
    && python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --gid 0 --home-dir /app --no-create-home qse \
    && mkdir -p /app/var/media /app/var/mail \
    && chown -R qse:0 /app/var/media /app/var/mail

USER qse
EXPOSE 8000

CMD ["gunicorn", "qse.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
