"""Tests of Open Badges 3.0 / Verifiable Credentials support."""
