"""The data wing: `core` (the `Task`, its splits, label budgets and loaders), `external` (the catalogue: `get_task`), and one module per source of data (`glyphs`, `folders`, `fashion`, `wordnet`)."""
# Written by hand: nbdev writes modules, not packages' __init__ files.
from ..compat import old_names as _old_names
__getattr__ = _old_names('tl_lessons.data', 'tl_lessons.data.core', 'tl_lessons.data.external')   # `tl_lessons.data` was a module: its names, with a DeprecationWarning
