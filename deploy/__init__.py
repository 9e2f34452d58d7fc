"""Serving the atlas: its entry points for `make run` and `make serve`, and their middleware."""
