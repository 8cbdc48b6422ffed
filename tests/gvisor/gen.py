#!/usr/bin/python3
# Parse gVisor's test/syscalls/linux/BUILD into a Makefile (outside our repo: a local conformance check only).
import re, sys
src = open('test/syscalls/linux/BUILD').read()
blocks = re.findall(r'^(cc_binary|cc_library)\(\n(.*?)^\)', src, re.S | re.M)
libs, bins = {}, {}
for kind, body in blocks:
    name = re.search(r'name = "([^"]+)"', body).group(1)
    # (a plain list, or the amd64 / linux one of select_arch / select_system)
    m = re.search(r'srcs = (?:select_arch\([^)]*?amd64 = |select_system\(linux = )?\[(.*?)\]', body, re.S)
    srcs = re.findall(r'"([^"]+\.cc)"', m.group(1)) if m else []
    deps = re.findall(r'"(:[^"]+)"', body)
    main = '//test/util:test_main' in body
    (libs if kind == 'cc_library' else bins)[name] = (srcs, [d[1:] for d in deps], main)
def closure(name, seen):
    for d in (libs.get(name) or bins.get(name) or ([], [], 0))[1]:
        if d not in seen:
            seen.add(d); closure(d, seen)
    return seen
out = ['ABSL := $(shell cat obj/absl_libs)', 'CXXFLAGS := -std=c++17 -O1 -w -I. -D_GNU_SOURCE', 'all:']
objs = set()
for name, (srcs, deps, main) in sorted(bins.items()):
    if not srcs: continue
    allsrc = list(srcs)
    for d in sorted(closure(name, set())):
        if d in libs: allsrc += libs[d][0]
    os_ = ['obj/t/%s.o' % s[:-3] for s in allsrc]
    objs.update(allsrc)
    link = 'obj/libgvutil.a -lgmock -lgtest -lbenchmark -Wl,--start-group $(ABSL) -Wl,--end-group -lpthread -lcap -laio'
    out.append('all: bin/%s' % name)
    out.append('bin/%s: %s obj/libgvutil.a\n\t-g++ -o $@ %s %s\n' % (name, ' '.join(os_), ' '.join(os_), link))
for s in sorted(objs):
    out.append('obj/t/%s.o: test/syscalls/linux/%s\n\t@mkdir -p obj/t\n\t-g++ $(CXXFLAGS) -c $< -o $@ 2>obj/t/%s.err\n' % (s[:-3], s, s[:-3]))
open('Makefile', 'w').write('\n'.join(out) + '\n')
print(len(bins), 'binaries', len(objs), 'objects')
