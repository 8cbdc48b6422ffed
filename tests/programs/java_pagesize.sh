# The JVM's look at the machine's page sizes: hugetlb's sizes from /sys/kernel/mm/hugepages
# (and /proc/meminfo's default), THP's mode and size from transparent_hugepage (its
# mappings' addresses and sizes aside: they vary, and the heap follows the memory)
java -Xlog:pagesize:stdout:none -XX:+UseTransparentHugePages -version 2>/dev/null | grep -v 'base='
