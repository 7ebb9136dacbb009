"""Tests of the reference-data loaders, fetcher and queries."""
