"""gunicorn settings for `make serve`, all from the environment.

BIND             address to listen on (default 127.0.0.1:8000)
WEB_CONCURRENCY  worker processes (default 2)
GUNICORN_THREADS threads per worker (default 4): a request waiting on an SMS
                 provider (at most TWOFA_PROVIDER_TIMEOUT) doesn't hold a process
ACCESS_LOG       "1" to write an access log to stdout (off: URLs can carry
                 GraphQL GET parameters)
PROMETHEUS_MULTIPROC_DIR
                 where the workers write their metrics for /metrics to sum
                 (default: a fresh directory under the system's temp dir);
                 emptied when gunicorn starts
"""

import os
import shutil
import tempfile
from pathlib import Path

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

# Set here, in the master, before any worker imports prometheus_client: the
# library picks its per-process file storage at import (core.metrics).
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="pollstr-metrics-"))


def on_starting(server):
    # Values a previous run left behind would be summed in as if they were ours.
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    # The worker's counters stay (summed in); its live gauges go.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
