"""Gunicorn for the portal: the access log never carries query strings (DESIGN §5, §8)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 60
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# %(U)s is the path without its query string: public searches and postcodes never reach a log.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
