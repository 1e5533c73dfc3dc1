__version__ = "0.1.0"
# Written by hand: nbdev writes modules, not this file.
from .compat import install_old_modules as _install_old_modules
_install_old_modules()   # the module paths of earlier releases still import, with a DeprecationWarning
