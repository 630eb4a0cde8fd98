"""Use cases above the store: seeding, import and export."""
