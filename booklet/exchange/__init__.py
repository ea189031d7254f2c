"""Exchange files: the units a translator's tool takes and gives back.

Takes a parsed handbook and the translation core's pairing and states
(booklet.translations); gives the units to translate (`files`: which unit, its original,
its state, a suggestion from the translation memory, `memory`), written as XLIFF or PO
(`xliff`, `po`) and read back, and the translations imported into the chapters and
statute files (`importing`, `writing`), each unit in its original's container. A new
exchange format goes here, beside XLIFF and PO, and in `vocabulary.ExchangeFormat`.
"""
