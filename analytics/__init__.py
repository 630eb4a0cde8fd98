"""Pure networkx analytics over projections of the helix graph (no database, no I/O)."""
