"""Khizmat: public services for rural local governments and service providers in Central Asia."""

__version__ = "0.1.0"
