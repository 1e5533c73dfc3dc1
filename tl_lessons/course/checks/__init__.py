"""The course's exercises: `exercises_for(lesson)`. Importing this package registers every chapter's checks in `registry`."""
# Written by hand: nbdev writes modules, not packages' __init__ files.
from .registry import exercises_for, lessons
from . import basics, tuning, adapting, text   # each registers its chapters' exercises
