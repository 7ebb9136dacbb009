"""The catalogue service: providers and their listings, with authorization on every write."""
