__version__ = "0.1.0"
# Written by hand: nbdev writes modules, not this file.
import warnings as _warnings
# fastai 2.8.7's layers.py applies torch.jit.script at import, which torch 2.14 deprecates with a FutureWarning:
# not ours to fix, and nothing a reader of the lessons or a user of `fit` can act on. Import tl_lessons before fastai.
_warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)
from .compat import install_old_modules as _install_old_modules
_install_old_modules()   # the module paths of earlier releases still import, with a DeprecationWarning
