"""Catalogue search tests."""
