"""File names as one printable line, for messages and the store."""

from __future__ import annotations


def display_name(name: str) -> str:
    """A file name as text that can be printed and stored: bytes that are not UTF-8 (which Python
    keeps as lone surrogates) are written as backslash escapes ("bad\\xff.txt")."""
    if name.isascii() and name.isprintable():
        return name
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    # a line break or another control or format character (a right-to-left override, a zero-width space)
    # would split the one line an error is, or make a name read as another: written as an escape
    return "".join(ch if ch.isprintable() or ch == " " else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"
