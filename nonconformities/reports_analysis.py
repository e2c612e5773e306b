"""8D and A3 PDFs (being built)."""
