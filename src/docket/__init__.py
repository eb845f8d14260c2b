"""Docket: a register of source-attributed, geolocated, time-stamped claims about conflict-affected places."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("docket")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
