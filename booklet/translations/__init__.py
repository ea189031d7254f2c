"""Keeping translations in step: alignment, block states, the lock file, exchange files.

Takes the parsed handbook; gives, per chapter and language, which block goes with which
(`alignment`), each piece's place, its container path (`places`), whether each
translation is current, stale or missing (`states`), the translations.lock text
(`record`), the units exchanged with translators' tools, out and back in (`exchange`,
`importing`, `writing`), and suggestions for new units from the translations already made
(`memory`). A new exchange format goes here, beside XLIFF and PO.
"""
