"""Text -> values: quantities, periods, provenance (pure functions, no I/O)."""
