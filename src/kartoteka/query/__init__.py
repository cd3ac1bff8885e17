"""The questions users ask, over the store: one module per kind of question.

Every read the command line and the web app make is here (they hold no SQL); failures are
the domain errors of `kartoteka.query.errors`.
"""
