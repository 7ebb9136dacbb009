"""Skills engine tests."""
