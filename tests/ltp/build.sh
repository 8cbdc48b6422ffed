#!/bin/sh
# Builds the Linux Test Project's syscall tests from a checkout (LTP_CHECKOUT) into WORKDIR:
# WORKDIR/src (a copy), WORKDIR/inst (testcases/bin and runtest/syscalls). ~10 min on 2 CPUs.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 LTP_CHECKOUT WORKDIR" >&2; exit 2; }
src=$1 work=$2
command -v autoreconf >/dev/null || apt-get install -y autoconf automake m4 libtool bison flex pkg-config
# without them the aio (io_*, eventfd06), ACL (getxattr05, listxattr04) and prctl07 tests only TCONF
dpkg -s libaio-dev libacl1-dev libcap-dev >/dev/null 2>&1 ||
	apt-get install -y libaio-dev libacl1-dev libcap-dev
[ -d "$work/src" ] || git clone -q "$src" "$work/src"
cd "$work/src"
make autotools >/dev/null
./configure --prefix="$work/inst" >/dev/null
make -C lib -j2 >/dev/null
make -C libs -j2 >/dev/null 2>&1 || true
make -k -C testcases/kernel/syscalls -j2 >/dev/null 2>&1 || true   # a few need absent headers
make -C testcases/kernel/syscalls install >/dev/null 2>&1 || true
# runtest/syscalls also names tests kept elsewhere (msgstress01, pipeio_*, dirtyc0w...), and
# ioctl02's script needs the old shell API's commands (tst_resm, tst_exit)
for d in testcases/kernel/ipc/msgstress testcases/kernel/ipc/pipeio \
	 testcases/kernel/security/dirtyc0w testcases/kernel/security/dirtyc0w_shmem \
	 testcases/kernel/security/dirtypipe testcases/kernel/security/prot_hsymlinks tools/apicmds; do
	make -k -C $d -j2 >/dev/null 2>&1 || true
	make -C $d install >/dev/null 2>&1 || true
done
mkdir -p "$work/inst/runtest"
cp runtest/syscalls "$work/inst/runtest/"
echo "built: $(ls "$work/inst/testcases/bin" | wc -l) files in $work/inst/testcases/bin"
