"""A Telegram bot for answering THL's Osallisuusindikaattori (ESIS) privately."""
