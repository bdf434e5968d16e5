"""gunicorn settings, read automatically when gunicorn starts in the project folder: ``gunicorn app:server``.

Loopback only unless ``HOLOCARBON_HOST`` says otherwise; 4 threaded workers (``HOLOCARBON_WORKERS``) sharing the
disk cache (or Redis); the processed pack is built once by the master before any worker starts, so workers never
race to build it or get killed by the worker timeout while it builds. Command-line flags override these values.
"""

import os

bind = f"{os.environ.get('HOLOCARBON_HOST', '127.0.0.1')}:{os.environ.get('HOLOCARBON_PORT', '8050')}"
workers = int(os.environ.get("HOLOCARBON_WORKERS", "4"))
worker_class = "gthread"
threads = 4
#: first-time layer computations take seconds, never minutes; a stuck worker is replaced after this
timeout = 120
graceful_timeout = 30
#: requests a worker serves before it is replaced (bounds any slow memory growth), with jitter
max_requests = 20000
max_requests_jitter = 2000
#: no control socket in the home directory (gunicorn >= 27): two servers on one machine would share it
control_socket_disable = True
#: header limits (werkzeug's own request limits apply to bodies: 1 MB)
limit_request_line = 8190
limit_request_fields = 100


def on_starting(server):
    """Build (or verify) the processed pack once, in the master, before the workers fork."""
    from engine.core.config import Settings
    from engine.data.pack import build_pack

    build_pack(Settings.from_env(), show_progress=True)
