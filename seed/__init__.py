"""The Drenthe agenda as data files with provenance, and their parser."""

from seed.loader import DATA_DIR, load_seed

__all__ = ["DATA_DIR", "load_seed"]
