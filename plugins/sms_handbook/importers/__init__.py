"""Converters from other tools\x27 formats into handbook documents."""
