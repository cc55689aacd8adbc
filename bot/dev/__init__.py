"""Trying the bot without Telegram: the local Bot API emulator, the sandbox that runs the real
bot against it, and the scripted demo.

Only this package and the tests use the emulator; the running bot never imports it.
"""
