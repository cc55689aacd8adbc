"""Words and buttons: every reply as plain data in the person's language, the one codec for
button data, and reports as text, tables, files and charts; QR codes.

Builds on `bot.core` and the gettext catalogs (babel). Never imports Telegram, the database
or the use cases: the Telegram adapter turns these replies into messages and keyboards.
"""
