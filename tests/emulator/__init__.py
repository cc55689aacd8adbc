"""Tests of the Bot API emulator itself."""
