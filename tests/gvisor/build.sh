#!/bin/sh
# Builds gVisor's syscall tests (test/syscalls/linux) from a gVisor checkout with plain g++
# and Debian's abseil, gtest and benchmark, outside this repository, so that run.py can run
# them natively and in the sandbox. Nothing of gVisor's is kept in this repository.
#   sh tests/gvisor/build.sh GVISOR_CHECKOUT WORKDIR
# Needs: apt-get install g++ libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev libcap-dev libaio-dev
set -e
src=$1 work=$2
[ -d "$src/test/syscalls/linux" ] && [ -n "$work" ] || { echo "usage: build.sh GVISOR_CHECKOUT WORKDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work/obj" "$work/bin" "$work/shim/absl/log"
cp -r "$src/test" "$work/"
cd "$work"
# Debian 12's abseil is older than gVisor's: MutexLock takes a pointer, Mutex has Lock()
sed -i -E 's/MutexLock ([a-z_]+)\(([a-z_.]+)\)/MutexLock \1(\&\2)/; s/\b(mu|mu_|mutex|m)\.lock\(\)/\1.Lock()/g; s/\b(mu|mu_|mutex|m)\.unlock\(\)/\1.Unlock()/g' test/syscalls/linux/*.cc
sed -i 's/std::vector<std::string_view> tags = absl::StrSplit/std::vector<std::string> tags = absl::StrSplit/' test/util/mount_util.cc
printf '#pragma once\n#include <iostream>\n#define LOG(sev) std::cerr\n#define CHECK(c) if (!(c)) abort(); else std::cerr\n' > shim/absl/log/log.h
cp shim/absl/log/log.h shim/absl/log/check.h
# workload binaries are looked up next to the tests
cat > obj/runfiles_shim.cc <<EOC
#include <string>
namespace gvisor { namespace testing {
std::string RunfilePath(std::string path) { return std::string("$work/bin/") + path.substr(path.rfind('/') + 1); }
} }
EOC
for u in test/util/*.cc; do
	case $u in *_test.cc|*runfiles*|*fuchsia*|*save_util_other*) continue ;; esac
	g++ -std=c++17 -O1 -w -I. -Ishim -c "$u" -o "obj/$(basename "$u" .cc).o" 2>/dev/null || true
done
g++ -std=c++17 -O1 -w -c obj/runfiles_shim.cc -o obj/runfiles_shim.o
ar rcs obj/libgvutil.a obj/*.o
ls /usr/lib/x86_64-linux-gnu/libabsl_*.so | sed 's|.*/lib\(absl_[^.]*\)\.so|-l\1|' | tr '\n' ' ' > obj/absl_libs
python3 "$here/gen.py"
sed -i 's|^CXXFLAGS := .*|CXXFLAGS := -std=c++17 -O1 -w -I. -Ishim -D_GNU_SOURCE|' Makefile
make -k -j"$(nproc)" || true
# rseq_test execs a helper built without libc (glibc registers rseq before main)
(cd test/syscalls/linux/rseq && g++ -I"$work" -O2 -std=c++17 -static -nostdlib -ffreestanding \
	-fno-exceptions -fno-pie -no-pie -o "$work/bin/rseq" critical_amd64.S start_amd64.S rseq.cc) || true
echo "built $(ls bin | wc -l) test binaries in $work/bin"
