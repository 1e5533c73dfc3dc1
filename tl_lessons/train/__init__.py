"""The training wing: `core` (quick mode, seeds, quiet fits, accuracy), `models` (models in named layer groups), `freezing`, `distributed`."""
# Written by hand: nbdev writes modules, not packages' __init__ files.
