import logging
import time


class UTCFormatter(logging.Formatter):
    """ISO 8601 UTC timestamps, like gunicorn's, whatever TIME_ZONE says."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
