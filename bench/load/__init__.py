"""The load test: `prepare` builds a scratch database, `run` serves it under gunicorn and
drives it with Locust (see bench/README.md, "Load test")."""
