import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "culture_portal.settings")

application = get_wsgi_application()

# A queued export's « en préparation » is answered before Django while its job waits (catalog.exports.gate).
from catalog.exports.gate import QueuedExportGate  # noqa: E402 (after Django's set-up)

application = QueuedExportGate(application)
