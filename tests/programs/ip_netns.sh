# ip netns: add (a bind mount of /proc/self/ns/net), list (RTM_GETNSID), exec (setns by the
# bound file, then lo up inside), delete.
ip netns add cf-netns-prog
ip netns list
ip netns exec cf-netns-prog ip -o link
ip netns exec cf-netns-prog sh -c 'ip link set lo up; ip -o -4 addr'
ip netns exec cf-netns-prog ip -o -4 addr
ip netns delete cf-netns-prog
ip netns list
echo done
