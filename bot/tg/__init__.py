"""The python-telegram-bot adapter: the Application, handlers that parse an update, call a
use case and send the rendered reply, keyboards, the request backend, pacing below Telegram's
limits, the order of one person's updates, webhooks.

No rules live here: a decision found in a handler belongs in `bot.usecases`.
"""
