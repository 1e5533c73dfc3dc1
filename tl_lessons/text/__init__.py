"""Transfer on texts: `ulmfit` (a language model and its classifier) and `fit` / `predict` on a folder of texts."""
# Written by hand: nbdev writes modules, not packages' __init__ files.
