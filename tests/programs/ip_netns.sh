# ip netns: add (a bind mount of /proc/self/ns/net), list (RTM_GETNSID), exec (setns by the
# bound file, then lo up inside), delete.
ip netns add cfns1
ip netns list
ip netns exec cfns1 ip -o link
ip netns exec cfns1 sh -c 'ip link set lo up; ip -o -4 addr'
ip netns exec cfns1 ip -o -4 addr
ip netns delete cfns1
ip netns list
echo done
