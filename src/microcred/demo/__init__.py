"""A deterministic, seeded demo catalogue (always marked as demo data)."""
