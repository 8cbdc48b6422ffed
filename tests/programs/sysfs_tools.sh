# What the C library and tools learn of the machine from /sys, CPUID and /proc/cpuinfo
# (memory sizes aside: the sandbox's limit): the same natively and inside.
nproc
nproc --all
for v in _NPROCESSORS_ONLN _NPROCESSORS_CONF PAGESIZE LEVEL1_DCACHE_SIZE \
	LEVEL1_DCACHE_LINESIZE LEVEL1_DCACHE_ASSOC LEVEL1_ICACHE_SIZE LEVEL2_CACHE_SIZE \
	LEVEL3_CACHE_SIZE LEVEL4_CACHE_SIZE; do
	echo "$v $(getconf $v)"
done
getconf -a | grep -i -e NPROC -e CACHE -e '^PAGE'
# lo as netlink and sysfs show it (the initial namespace's: up)
ip -o link show lo
cd /sys/class/net/lo && for f in address broadcast mtu operstate type ifindex iflink flags \
	carrier tx_queue_len addr_len uevent; do
	echo "$f: $(cat $f)"
done
cat speed 2>/dev/null || echo "speed: unreadable"
