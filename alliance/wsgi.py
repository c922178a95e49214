"""The WSGI entry point of the web servers (gunicorn in production, runserver in
development through WSGI_APPLICATION, with its settings module already set).

The production settings are the default here, unlike manage.py: they cannot fall back
to anything, since they refuse to load without DJANGO_SECRET_KEY, DATABASE_URL and
ALLIANCE_SITE_URL. A server started without the variable fails loudly instead of
serving the development settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings.prod")
application = get_wsgi_application()
