#!/bin/sh
# A sandbox started on some of the host's CPUs (taskset, a container's cpuset) shows the
# machine as Linux shows it to such a container: every online CPU in /sys and /proc, the
# affinity the host's CPU numbers, so libnuma and numactl place the CPU they run on and
# lscpu lists every CPU.
# Compared with the same commands run natively under the same taskset.
B=${1:-build}
SANDBOX=${SANDBOX:-$B/sandbox}
n=$(nproc --all)
[ "$n" -ge 2 ] || { echo "one CPU: nothing to check"; exit 77; }
command -v taskset >/dev/null || { echo "no taskset"; exit 77; }
last=$((n - 1))
probe='nproc; cat /sys/devices/system/cpu/online; grep -c ^processor /proc/cpuinfo
/usr/bin/python3 -c "import os; print(sorted(os.sched_getaffinity(0)), os.cpu_count())"
ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l
if command -v numactl >/dev/null; then numactl --show | grep bind; fi
if command -v lscpu >/dev/null; then lscpu -p; fi'
native=$(taskset -c "$last" sh -c "$probe" 2>&1)
inside=$(taskset -c "$last" timeout 60 "$SANDBOX" run -- sh -c "$probe" 2>&1)
if [ "$native" != "$inside" ]; then
	echo "on CPU $last natively:"; echo "$native"; echo "inside:"; echo "$inside"
	echo "the sandbox on CPU $last differs from Linux"
	exit 1
fi
echo "on CPU $last of $n: CPUs, affinity and NUMA binding as natively"
