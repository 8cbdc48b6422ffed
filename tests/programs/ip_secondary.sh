# IPv4 secondary addresses on lo (in a network namespace of its own): an address in the
# subnet of an earlier one (same prefix length) is a secondary, listed after the primaries
# (a primary after the last primary of a scope at least as wide); deleting a secondary
# leaves the rest, deleting a primary deletes its secondaries (promote_secondaries 0,
# set natively in case the host's is 1; the sandbox has no such sysctl: it is 0);
# the local table keeps one subnet route, the primary's.
sysctl -qw net.ipv4.conf.all.promote_secondaries=0 net.ipv4.conf.lo.promote_secondaries=0 2>/dev/null
ip link set lo up
ip addr add 127.0.0.6/8 dev lo
ip addr add 127.0.0.7/16 dev lo
ip addr add 127.0.0.8/8 dev lo
ip addr add 10.1.0.1/8 dev lo
ip addr add 10.2.0.1/8 dev lo
ip addr add 10.3.0.1/16 dev lo
ip -4 addr show dev lo
ip -4 route show table local
ip addr del 10.2.0.1/8 dev lo
ip addr del 127.0.0.1/8 dev lo
ip -4 addr show dev lo
ip -4 route show table local
ip -4 route get 127.0.0.6 2>&1
