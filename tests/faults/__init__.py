"""Faults survived: crashes, a failing Bot API, database trouble, bad input, security."""
