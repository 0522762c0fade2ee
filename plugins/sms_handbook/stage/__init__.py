"""The stage: one audience's self-contained source tree (see build.py)."""
