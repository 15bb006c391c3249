"""The bundled corpus: five news documents, unmodified, and their metadata (manifest.json)."""
