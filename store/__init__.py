"""Everything that is not UI: the fact model, extraction, the TinyDB store, queries and exports."""
