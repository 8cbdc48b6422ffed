#!/bin/sh
# Installs the Debian packages the build, the tests and the benchmarks need.
# Safe to run again: it only calls apt-get when something is missing.
set -e
PKGS="pkg-config libseccomp-dev libelf-dev uthash-dev libjansson-dev \
busybox-static python3 proot bubblewrap coreutils git trinity firejail strace gdb \
libpython3.11-testsuite nodejs podman docker.io autoconf automake \
golang-go ruby lua5.4 sqlite3 openjdk-17-jre-headless numactl hwloc-nox \
iputils-ping"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "deps: need root (or sudo) to install:$missing" >&2; exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
