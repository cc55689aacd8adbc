"""The database and the data folder: the only SQL, split by what it stores, returning the
types of `bot.core`; backups and files that only their owner may read.

Never imports Telegram, the use cases or the words of the interface.
"""
