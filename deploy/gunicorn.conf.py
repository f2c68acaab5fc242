# Gunicorn for Routinie, as `routinie serve` runs it (routinie/core/web_server.py): two worker
# processes per CPU (WEB_WORKERS), one thread each (WEB_THREADS); the access log never carries the client's
# address (P08). `gunicorn routinie.wsgi -c deploy/gunicorn.conf.py` (options on the command
# line override these).
from routinie.core.web_server import gunicorn_options

globals().update(gunicorn_options(bind="127.0.0.1:8000", access_log="-"))
