"""The course around the library: `widgets`, `exercises`, the `checks` of each chapter, `grading` and the `site`."""
# Written by hand: nbdev writes modules, not packages' __init__ files.
