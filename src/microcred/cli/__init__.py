"""The ``microcred`` command line: a thin wrapper around the library."""
