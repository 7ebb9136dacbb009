"""Open Badges 3.0 / W3C Verifiable Credentials: canonicalization, proofs, keys, status."""
