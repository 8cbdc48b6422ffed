# ZGC's heap is a memfd as large as -Xmx (ftruncate), mapped shared three times over and
# committed piece by piece (fallocate): with an -Xmx beyond the sandbox's memory it must
# start as natively (Linux charges a memfd's pages, never its size), its filesystem shows
# no size limit ("N/A"), and a pre-touched initial heap works. The heap's addresses and
# the host's sizes are left out.
out=$(java -XX:+UseZGC -Xmx256g -Xms64m -XX:+AlwaysPreTouch -Xlog:gc+init:stdout:none -version 2>/dev/null)
s=$?
echo "$out" | grep -E 'Heap Backing|Max Capacity|Initial Capacity|Available space|Large Page|Address Space Type'
echo "exit $s"
