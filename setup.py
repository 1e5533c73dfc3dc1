"""Packaging for tl_lessons: every setting comes from settings.ini (the nbdev 2 template's way)."""
from configparser import ConfigParser
import glob, os, shutil
import setuptools, shlex
from setuptools.command.build_py import build_py

config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

cfg_keys = 'version description keywords author author_email'.split()
expected = cfg_keys + "lib_name user branch license status min_python audience language".split()
for o in expected: assert o in cfg, f"settings.ini is missing the key '{o}'"
setup_cfg = {o: cfg[o] for o in cfg_keys}

licenses = {
    'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License'),
    'mit': ('MIT License', 'OSI Approved :: MIT License'),
}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
py_versions = '3.10 3.11 3.12 3.13'.split()

requirements = shlex.split(cfg.get('requirements', ''))
dev_requirements = shlex.split(cfg.get('dev_requirements', ''))
onnx_requirements = shlex.split(cfg.get('onnx_requirements', ''))   # tl-lessons export --to onnx, and predict on .onnx files
hub_requirements = shlex.split(cfg.get('hub_requirements', ''))     # fit --arch on timm models
vectors_requirements = shlex.split(cfg.get('vectors_requirements', ''))   # tl-lessons train-vectors
min_python = cfg['min_python']
lic = licenses.get(cfg['license'].lower(), (cfg['license'], None))
package_data = {}
for entry in cfg.get('package_data', '').split(';'):
    if ':' in entry:
        pkg, pats = entry.split(':', 1)
        package_data[pkg.strip()] = pats.split()

class BuildWithLessons(build_py):
    "Also copy the notebooks, with their stored outputs, into the package: the lessons (nbs/*.ipynb) as tl_lessons/lessons/, the library pages (nbs/library/) as tl_lessons/lessons/library/"
    def run(self):
        super().run()
        if getattr(self, 'editable_mode', False): return   # an editable install reads nbs/ of the checkout
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'nbs')
        dst = os.path.join(self.build_lib, 'tl_lessons', 'lessons')
        if not os.path.isdir(src): return
        for sub in ('', 'library'):
            os.makedirs(os.path.join(dst, sub), exist_ok=True)
            for f in sorted(glob.glob(os.path.join(src, sub, '*.ipynb'))):
                if not os.path.basename(f).startswith('_'): shutil.copy(f, os.path.join(dst, sub))

setuptools.setup(
    cmdclass={'build_py': BuildWithLessons},
    name=cfg['lib_name'],
    license=lic[0],
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])],
                 'Intended Audience :: ' + cfg['audience'].title(),
                 'Natural Language :: ' + cfg['language'].title()]
               + ['Programming Language :: Python :: ' + o for o in py_versions[py_versions.index(min_python):]]
               + (['License :: ' + lic[1]] if lic[1] else []),
    url=cfg['git_url'],
    packages=setuptools.find_packages(include=['tl_lessons', 'tl_lessons.*']),
    include_package_data=True,
    package_data=package_data,
    install_requires=requirements,
    extras_require={'dev': dev_requirements + onnx_requirements + hub_requirements + vectors_requirements, 'onnx': onnx_requirements,
                    'hub': hub_requirements, 'vectors': vectors_requirements},
    python_requires='>=' + cfg['min_python'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    zip_safe=False,
    entry_points={
        'console_scripts': cfg.get('console_scripts', '').split(),
        'nbdev': [f'{cfg.get("lib_path")}={cfg.get("lib_path")}._modidx:d'],
    },
    **setup_cfg)
