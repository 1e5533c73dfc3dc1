import os, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault('MPLBACKEND', 'Agg')
os.environ.setdefault('IN_TEST', '1')
