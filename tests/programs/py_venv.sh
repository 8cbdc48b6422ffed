# A python venv made and used in the working directory (ensurepip runs pip in a child
# whose pipes close while it is blocked; the sentry once crashed on it).
/usr/bin/python3 -m venv v || exit 1
v/bin/python -c 'import sys; print(sys.prefix != sys.base_prefix)'
v/bin/python -m pip --version | cut -d' ' -f1
ls v/bin | grep -c python
