"""`python -m booklet` runs the command line."""

from booklet.cli import main

main()
