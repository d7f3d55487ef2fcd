"""The shared POST-button view lives in :mod:`khizmat.tenancy.actions`; kept here for the billing views' imports."""

from khizmat.tenancy.actions import ObjectActionView

__all__ = ["ObjectActionView"]
