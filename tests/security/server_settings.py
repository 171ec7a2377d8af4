"""Production settings for the gunicorn under test (DJANGO_DEBUG=0, real secrets required).

One change only: static files are served unhashed, so the test need not run a minute-long
`collectstatic` with compression first. Headers and cookies come from portal.settings as is.
"""

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
