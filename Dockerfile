# The portal's image: the same build steps as `make venv` (the pinned lock file, then the
# project without its dependencies), static files collected with hashed names, run as a user
# without privileges. One image for every process; the command chooses the role:
#   web:       (default) gunicorn -c deploy/gunicorn.conf.py citizen_portal.wsgi:application
#   worker:    python manage.py run_huey        (any number; they keep the schedule once)
#   mail:      python manage.py receive_mail
#   migrate:   python manage.py migrate && python manage.py load_directory   (once per release)
# Configuration is the environment only: docs/operators.md#production.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=citizen_portal.settings \
    PORTAL_VAR_DIR=/srv/citizen-portal/var \
    STATIC_ROOT=/srv/citizen-portal/static

RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /srv/citizen-portal --shell /usr/sbin/nologin citizen-portal

WORKDIR /srv/citizen-portal/app
# Dependencies first, so that a code change does not reinstall them.
COPY Makefile pyproject.toml ./
COPY requirements/ requirements/
COPY citizen_portal/__init__.py citizen_portal/__init__.py
RUN make venv PYTHON=python3
COPY . .
RUN .venv/bin/pip install --quiet --no-deps --no-build-isolation -e . \
    && STATIC_MANIFEST=1 SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-xx \
       .venv/bin/python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /srv/citizen-portal/var \
    && chown -R citizen-portal:citizen-portal /srv/citizen-portal/var

USER citizen-portal
ENV PATH=/srv/citizen-portal/app/.venv/bin:$PATH \
    DEPLOYMENT=production \
    STATIC_MANIFEST=1 \
    WEB_BIND=0.0.0.0:8000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/livez', timeout=4)"
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "citizen_portal.wsgi:application"]
