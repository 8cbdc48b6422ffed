# ip netns: add (a bind mount of /proc/self/ns/net, in mountinfo and statfs), list (RTM_GETNSID), exec (setns by the
# bound file, then lo up inside), delete.
ip netns add cf-netns-prog
ip netns list
# the bind mount as mountinfo shows it (root net:[N], where it is mounted) and its type
awk '$9 == "nsfs" && $5 ~ /cf-netns-prog/ { sub(/\[[0-9]+\]/, "[N]", $4); print $4, $5, $9 }' /proc/self/mountinfo
stat -f -c %T /run/netns/cf-netns-prog
ip netns exec cf-netns-prog ip -o link
ip netns exec cf-netns-prog sh -c 'ip link set lo up; ip -o -4 addr'
ip netns exec cf-netns-prog ip -o -4 addr
ip netns delete cf-netns-prog
ip netns list
echo done
