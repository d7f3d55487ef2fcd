"""The shared POST-button view lives in :mod:`khizmat.core.actions`; kept here for the billing views' imports."""

from khizmat.core.actions import ObjectActionView

__all__ = ["ObjectActionView"]
