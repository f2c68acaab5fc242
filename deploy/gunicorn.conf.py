# Gunicorn for Routinie: the access log never carries the client's address (P08).
import multiprocessing

bind = "127.0.0.1:8000"
workers = max(2, multiprocessing.cpu_count())
worker_class = "sync"
accesslog = "-"
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
