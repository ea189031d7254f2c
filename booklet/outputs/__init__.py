"""Making files from rendered documents: PDF, EPUB 3, booklet imposition, font subsets.

Takes HTML (from booklet.render) or a finished PDF; gives the bytes of each output file.
Nothing here writes to disk: booklet.build does, all or nothing. A new output format
goes here.
"""
