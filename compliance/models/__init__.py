"""The compliance app's models, one module per theme, re-exported here."""
