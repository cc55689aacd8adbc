"""The rules of the check-in, pure: the instrument and its scoring, the check-in and staff
steps as state machines, sessions and their codes, the privacy rules (release blocks, small
groups held back) and report figures.

Only plain Python here: no Telegram, no SQL, no gettext catalogs, no files but the instrument
texts, no clock (the time is always passed in). Everything else may import this package.
"""
