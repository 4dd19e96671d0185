"""Serve a baked project over real HTTP on a free loopback port.

Run with the project's Python from inside the project: it prints the port,
then serves until it is terminated.
"""

import os
import sys
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    sys.path.insert(0, str(Path.cwd()))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    # Only now, with the project on sys.path and its settings chosen, can Django load.
    from django.core.wsgi import get_wsgi_application  # noqa: PLC0415

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    print(server.server_port, flush=True)  # noqa: T201 - the port is what this script tells its caller
    server.serve_forever()


if __name__ == "__main__":
    main()
