"""mtcheck: quality checks for German machine translations of English originals."""

__version__ = "0.1.0"
