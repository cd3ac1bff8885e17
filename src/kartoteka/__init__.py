"""kartoteka: a sourced card index built offline from historical sources."""

__version__ = "0.1.0"
