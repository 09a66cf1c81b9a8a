"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py 'sipansos:create_app()'`."""

import os

bind = os.environ.get("SIPANSOS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SIPANSOS_WORKERS", "3"))
threads = 4
# Evidence uploads can be large and slow on office connections.
timeout = 300
accesslog = "-"
forwarded_allow_ips = os.environ.get("SIPANSOS_FORWARDED_ALLOW_IPS", "127.0.0.1")
