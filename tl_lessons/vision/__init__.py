"""Transfer on images: `pretrained` models, `features` (approach 3), `transfer` (approach 1), `discriminative` rates, `adapting`, `baselines` and `fit` / `predict` on a folder of images."""
# Written by hand: nbdev writes modules, not packages' __init__ files.
