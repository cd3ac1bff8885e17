"""`python -m kartoteka`: the command line, as the `kartoteka` script runs it."""

from kartoteka.cli import main

main(prog_name="kartoteka")
