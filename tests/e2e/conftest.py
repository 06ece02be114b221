from django.core.servers.basehttp import ThreadedWSGIServer

# The live test server listens with a backlog of 10; the concurrency tests open
# 50 connections at once, which a production server (gunicorn: 2048) accepts.
ThreadedWSGIServer.request_queue_size = 128
