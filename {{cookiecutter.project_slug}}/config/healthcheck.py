"""The Docker image's health check: `python -m config.healthcheck` exits 0 while this instance answers.

It asks gunicorn, on the port in PORT, for the API's root as the load balancer
would: for a host of DJANGO_ALLOWED_HOSTS, with X-Forwarded-Proto: https, so
that Django neither refuses the host nor redirects to HTTPS. The root reads
neither the database nor the cache: while those are down the API answers 503s
and recovers by itself, and a restart of the container would not help. The
standard library only, as the image has no curl, and without loading Django,
as it runs every 30 seconds.
"""

import http.client
import os
import sys

PATH = "/api/accounts/v1/"
TIMEOUT_SECONDS = 5


def host_to_ask(allowed_hosts: str) -> str:
    """A host name that DJANGO_ALLOWED_HOSTS lets in: its first, without the dot of a domain pattern."""
    first = allowed_hosts.partition(",")[0].strip().lstrip(".")
    return "localhost" if first in {"", "*"} else first


def check(port: int, host: str) -> str | None:
    """Why the instance on this port is unhealthy, or None when the API's root answers 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("GET", PATH, headers={"Host": host, "X-Forwarded-Proto": "https"})
        status = connection.getresponse().status
    except OSError as error:
        return f"GET {PATH} on port {port} failed: {error}"
    finally:
        connection.close()
    return None if status == http.client.OK else f"GET {PATH} on port {port} answered {status}"


if __name__ == "__main__":
    problem = check(int(os.environ.get("PORT", "8000")), host_to_ask(os.environ.get("DJANGO_ALLOWED_HOSTS", "")))
    sys.exit(f"Unhealthy: {problem}" if problem else 0)
