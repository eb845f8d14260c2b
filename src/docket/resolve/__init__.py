"""Resolution across documents: entities (who is named how) and clusters (which claims are about the same thing)."""
