"""Reading and writing catalogue data in open formats (CSV template, JSON Lines, external catalogues)."""
