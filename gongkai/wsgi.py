"""WSGI entry point for gunicorn (`gongkai serve`)."""

import os

from django.core.wsgi import get_wsgi_application

# Whatever the server creates (SQLite journals, uploads, published reports) is readable by its
# own user only. `gongkai serve` sets this before starting gunicorn; this covers a gunicorn or
# another WSGI server started directly (the umask is per process and inherited by workers).
os.umask(0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
application = get_wsgi_application()
