"""Benchmark of culture.data.gouv.fr (``make bench``): synthetic catalogue, API stand-in, runner."""
