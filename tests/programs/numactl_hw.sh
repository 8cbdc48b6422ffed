# numactl --hardware: nodes, their CPUs and distances (libnuma over /sys/devices/system/node);
# the memory sizes are the sandbox's, so only whether they are there
hw=$(numactl --hardware)
echo "$hw" | grep -v -e 'size:' -e 'free:'
echo "$hw" | grep -c 'node 0 size: [1-9][0-9]* MB'
