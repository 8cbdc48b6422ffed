#!/bin/sh
# CPython's own regression tests as a differential case: runs `python3 -m test -v ARGS`
# and prints each test's name with its outcome (ok, FAIL, ERROR, skipped, expected
# failure; reasons dropped, some name temporary files by pid) and the verdict, sorted.
# test_concurrent_futures prints each test's duration ("test_x ... 0.01s ok", or before
# the name of a skipped one): dropped.
# Modules and exclusions (-i PATTERN: known sandbox gaps, see README) come from cases.txt.
# A verdict that other output pushed onto a line of its own (a child's or a warning's text
# between "name ... " and "ok") still goes with its test.
/usr/bin/python3 -m test -v "$@" 2>&1 |
	sed -E -e 's/^([0-9]+\.[0-9]+s )+(test)/\2/' -e 's/ \.\.\. [0-9]+\.[0-9]+s / ... /' |
	awk -v verdicts='^(ok|FAIL|ERROR|skipped|expected failure|unexpected success)' '
	/^Tests result: / { print; next }
	match($0, / \.\.\. /) {
		name = substr($0, 1, RSTART - 1); rest = substr($0, RSTART + 5)
		if (match(rest, verdicts)) { print name " " substr(rest, RSTART, RLENGTH); pending = "" }
		else pending = name
		next
	}
	pending != "" && match($0, verdicts) { print pending " " substr($0, RSTART, RLENGTH); pending = "" }
	' | sort
