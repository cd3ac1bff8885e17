"""The questions users ask, over the store: one module per kind of question."""
