"""Keeping translations in step: alignment, block states, the lock file, exchange files.

Takes the parsed handbook; gives, per chapter and language, which block goes with which
(`alignment`), each block's place in its file (`segments`), whether each translation is
current, stale or missing (`states`), the translations.lock text (`record`), and the
units exchanged with translators' tools, out and back in (`exchange`). A new exchange
format goes here, beside XLIFF and PO.
"""
