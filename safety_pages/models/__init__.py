"""Page types and registers, split by concern (one module per part of the domain)."""

from .site import HomePage, SectionPage

__all__ = ["HomePage", "SectionPage"]
