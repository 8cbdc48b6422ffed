#!/bin/sh
# CPython's own regression tests as a differential case: runs `python3 -m test -v ARGS`
# and prints each test's name with its outcome (ok, FAIL, ERROR, skipped, expected
# failure; reasons dropped, some name temporary files by pid) and the verdict, sorted.
# test_concurrent_futures prints each test's duration ("test_x ... 0.01s ok", or before
# the name of a skipped one): dropped.
# Modules and exclusions (-i PATTERN: known sandbox gaps, see README) come from cases.txt.
/usr/bin/python3 -m test -v "$@" 2>&1 |
	sed -nE -e 's/^([0-9]+\.[0-9]+s )+(test)/\2/' -e 's/ \.\.\. [0-9]+\.[0-9]+s / ... /' \
		-e 's/^(.*) \.\.\. (ok|FAIL|ERROR|skipped|expected failure|unexpected success).*$/\1 \2/p' \
		-e 's/^(Tests result: .*)$/\1/p' | sort
