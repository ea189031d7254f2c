"""How text is written, whatever the stage: rules every other package shares.

Takes and gives plain strings, with no knowledge of handbooks: joining the lines an
author wrapped (per script), and filling `{name}` patterns from theme, handbook and
statute files. Nothing here reads files.
"""
