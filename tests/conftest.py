import os, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault('MPLBACKEND', 'Agg')
os.environ.setdefault('IN_TEST', '1')

def pytest_terminal_summary(terminalreporter):
    shots = Path(os.environ.get('TL_SCREENSHOTS', ROOT/'tl_out'/'browser_screenshots'))
    if shots.exists() and any(shots.glob('*.png')):
        terminalreporter.write_line(f"browser screenshots: {shots} ({len(list(shots.glob('*.png')))} PNG files)")
