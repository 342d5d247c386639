"""Single source of the snnzoo version string."""

__version__ = "0.1.0"
"""The package version."""
