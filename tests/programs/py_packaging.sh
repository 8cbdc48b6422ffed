# Python packaging without a network, in the working directory: a wheel and an sdist built
# from a pyproject.toml project, installed into a venv by pip (--no-index), its console
# script run, uninstalled, an editable install into a venv that sees the system's
# setuptools, and a zipapp run as an executable.
set -e
P=/usr/bin/python3
mkdir -p pkg/src/mypkg app
cat > pkg/pyproject.toml <<'A'
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"
[project]
name = "mypkg"
version = "0.1"
[project.scripts]
mypkg-hello = "mypkg:main"
A
printf 'def main():\n    print("mypkg says hi")\n' > pkg/src/mypkg/__init__.py
(cd pkg && $P -m pip wheel -q --no-deps --no-build-isolation -w ../dist . > ../wheel.log 2>&1) ||
	{ cat wheel.log; exit 1; }
(cd pkg && $P -c 'import setuptools.build_meta as b; b.build_sdist("../dist")' > ../sdist.log 2>&1) ||
	{ cat sdist.log; exit 1; }
ls dist
$P -m venv v
v/bin/pip install -q --no-index dist/mypkg-0.1-py3-none-any.whl
v/bin/mypkg-hello
v/bin/pip list 2>/dev/null | grep mypkg
v/bin/pip uninstall -q -y mypkg
[ ! -e v/bin/mypkg-hello ] && echo "script removed"
$P -m venv --system-site-packages sv
sv/bin/pip install -q --no-index --no-build-isolation dist/mypkg-0.1.tar.gz > sdist-install.log 2>&1 ||
	{ cat sdist-install.log; exit 1; }
sv/bin/mypkg-hello
sv/bin/pip uninstall -q -y mypkg
sv/bin/pip install -q --no-index --no-build-isolation -e pkg > editable.log 2>&1 ||
	{ cat editable.log; exit 1; }
sv/bin/python -c 'import mypkg, os; print(os.path.relpath(mypkg.__file__))'
echo 'import sys; print("zipapp", sys.argv[1:])' > app/__main__.py
$P -m zipapp app -o app.pyz -p "/usr/bin/env python3"
./app.pyz x y
