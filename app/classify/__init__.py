"""Rules that turn captured spans into proposed time entries: pure matching, engine, proposals, suggestions."""
