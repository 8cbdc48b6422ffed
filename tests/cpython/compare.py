#!/usr/bin/python3
# Per-case outcomes of two suite.sh runs (their junit.xml): the counts of each, then every
# case whose outcome differs (pass, skip, fail, error, or absent), with the reasons.
#   python3 tests/cpython/compare.py NATIVE/junit.xml INSIDE/junit.xml
import collections
import sys
import xml.etree.ElementTree as ET

KINDS = {'skipped': 'skip', 'failure': 'fail', 'error': 'error'}


def outcomes(path):
    res = {}
    for case in ET.parse(path).getroot().iter('testcase'):
        kind, why = 'pass', ''
        for child in case:
            if child.tag in KINDS:
                kind = KINDS[child.tag]
                why = (child.get('message') or child.text or '').split('\n')[0]
        res[case.get('name')] = (kind, why)
    return res


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: compare.py NATIVE.xml INSIDE.xml')
    a, b = outcomes(sys.argv[1]), outcomes(sys.argv[2])
    for label, res in (('native', a), ('inside', b)):
        print(label, dict(sorted(collections.Counter(k for k, _ in res.values()).items())))
    absent = ('absent', '')
    for name in sorted(a.keys() | b.keys()):
        x, y = a.get(name, absent), b.get(name, absent)
        if x[0] != y[0]:
            print(f'{name}: {x[0]} -> {y[0]} | {x[1][:80]} | {y[1][:120]}')


main()
