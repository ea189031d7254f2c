"""How text is written, whatever the stage: rules every other package shares.

Takes and gives plain strings, with no knowledge of handbooks: joining the lines an
author wrapped (per script), breaks between the words of scripts written without
spaces (Lao, Khmer, Myanmar), and filling `{name}` patterns from theme, handbook and
statute files. Nothing here reads files.
"""
