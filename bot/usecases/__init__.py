"""The decisions, one function or class per thing a person does: join, consent, answer,
send, forget, invite, create and close sessions, read reports, upkeep.

Async, with a real database behind `bot.storage`, but no Telegram: the Telegram handlers and
the command line call the same functions and only parse and render around them.
"""
