"""gunicorn settings: listen on all interfaces at $PORT (default: the app's DEFAULT_PORT)."""

import multiprocessing

from app import port_from_env

bind = f"0.0.0.0:{port_from_env()}"
workers = min(4, multiprocessing.cpu_count() * 2 + 1)
accesslog = "-"
errorlog = "-"
