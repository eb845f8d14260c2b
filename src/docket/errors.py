"""The one error type every stage raises for bad input: its message names the file and the problem."""


class DocketError(Exception):
    """A problem with the user's input or environment, reported as one line and a non-zero exit."""
