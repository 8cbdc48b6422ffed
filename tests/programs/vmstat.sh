# procps' vmstat reads /proc/vmstat, /proc/stat and /proc/meminfo (the values are the
# machine's: the headers and the lines it prints), swapon /proc/swaps.
vmstat | head -2
vmstat -s | wc -l
vmstat -d > /dev/null
echo "vmstat -d: $?"
/sbin/swapon --show > /dev/null
echo "swapon: $?"
