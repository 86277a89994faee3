"""The story reader's core: parsing, storage, search and export, with no Qt."""

__version__ = "0.1.0"
