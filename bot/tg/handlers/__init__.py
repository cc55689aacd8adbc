"""Thin adapters between Telegram updates and the check-in logic."""
