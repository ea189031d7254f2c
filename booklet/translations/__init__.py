"""Keeping translations in step: alignment, block states, the lock file.

Takes the parsed handbook; gives, per chapter and language, which block goes with which
(`alignment`, `pairing`), each piece's place, its container path (`places`), whether
each translation is current, stale or missing (`states`), and the translations.lock text
(`record`). The files exchanged with translators' tools are `booklet.exchange`.
"""
