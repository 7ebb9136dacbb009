"""microcred test suite."""
