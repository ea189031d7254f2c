"""Readability: how hard each block is to read, in every language, and the handbook's report.

Takes the parsed handbook (booklet.model) and its `[readability]` limits; gives the
measures of every paragraph and list item per language (`measures`: sentences in words,
and in characters for Chinese and Japanese; the share of rare words where a frequency
list exists; a grade or reading ease where a published formula fits the language,
`formulas`), and the handbook's report (`report`: chapters side by side, the blocks that
most need work, translations markedly harder than their original). Text is split by ICU
(booklet.text.sentences); word frequencies come from wordfreq's lists, loaded only when
the rare-word share is asked for.
"""
