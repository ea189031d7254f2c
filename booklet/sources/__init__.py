"""Reading a handbook: the only code that reads the sources.

Takes a handbook folder; gives the content model (`booklet.model.Handbook`) and every
problem found while reading and parsing it, each with its file and line. `files` reads
the bytes (confined to the handbook and its registry), `toml_fields` reads located TOML
fields, `markdown` turns a chapter into blocks, `statutes` the registry, `lock` the
translations.lock, and `handbook` puts them together. A new source file type goes here.
"""
