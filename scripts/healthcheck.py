"""The container's health check (HEALTHCHECK in the Dockerfile): exit 0 when /healthz/live answers 200.

Standard library only, since the slim image has no curl. The request names a host the site serves
(ALLOWED_HOSTS) and says it came through HTTPS, so that neither host checking nor the HTTPS redirect
turns it away.
"""

import os
import sys
import urllib.request


def main() -> int:
    hosts = [host.strip() for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()]
    host = next((host.lstrip(".") for host in hosts if host != "*"), "localhost")
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz/live"
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:  # refused, timed out, or an HTTP error status
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
