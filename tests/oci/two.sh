#!/bin/sh
# Two containers at once: both running together, each with its own rootfs, hostname and
# output, and each ends on its own.
. "$(dirname "$0")/lib.sh"
for n in 1 2; do
	make_bundle "$D/b$n" "c['process']['args'] = ['sh', '-c', 'cat /etc/name; hostname; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo end']
c['hostname'] = 'host$n'
c['root']['readonly'] = False"
	echo "rootfs$n" > "$D/b$n/rootfs/etc/name"
	oci create -b "$D/b$n" two$n >"$D/out$n" 2>&1 || fail "create two$n: $(cat "$D/out$n")"
done
oci start two1 && oci start two2 || fail "start"
sleep 0.3
[ "$(state_field two1 status)" = running ] && [ "$(state_field two2 status)" = running ] ||
	fail "not both running: $(oci list)"
[ "$(state_field two1 pid)" != "$(state_field two2 pid)" ] || fail "same pid"
touch "$D/b2/rootfs/tmp/go"    # the rootfs is writable: the file shows in two2 only
wait_status two2 stopped || fail "two2 did not end"
[ "$(state_field two1 status)" = running ] || fail "two1 ended with two2"
touch "$D/b1/rootfs/tmp/go"
wait_status two1 stopped || fail "two1 did not end"
[ "$(cat "$D/out1")" = "rootfs1
host1
end" ] && [ "$(cat "$D/out2")" = "rootfs2
host2
end" ] || fail "outputs: $(cat "$D/out1" "$D/out2")"
oci delete two1 && oci delete two2 || fail "delete"
echo "two containers side by side"
