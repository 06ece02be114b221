"""gunicorn settings for `make serve`, all from the environment.

BIND             address to listen on (default 127.0.0.1:8000)
WEB_CONCURRENCY  worker processes (default 2)
GUNICORN_THREADS threads per worker (default 4): a request waiting on an SMS
                 provider (at most TWOFA_PROVIDER_TIMEOUT) doesn't hold a process
ACCESS_LOG       "1" to write an access log to stdout (off: URLs can carry
                 GraphQL GET parameters)
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-" if os.environ.get("ACCESS_LOG") == "1" else None
errorlog = "-"
# Requests larger than this never reach Django (its own cap is MAX_REQUEST_BYTES).
limit_request_field_size = 16384
