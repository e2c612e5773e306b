"""The objectives app's models, one module per theme, re-exported here."""
