"""Command-line command groups. Each module registers its sub-commands on the shared parser."""
