"""Performance workloads: ``make bench`` (``python -m bench``) runs them against gunicorn on loopback.

Never part of ``make test``: pytest only collects ``difference/`` and ``tests/``.
"""
