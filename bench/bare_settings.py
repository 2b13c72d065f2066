"""The portal's settings with a single bare view: the throughput baseline of ``make bench``.

Same middleware, database, cache and logging as culture_portal.settings; only the URLs change.
"""

from culture_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
