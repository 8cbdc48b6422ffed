# Device nodes in the working directory, as building or unpacking a root filesystem makes
# them (mknod for dev/null, tar -x of an archive that holds character and block devices):
# root may make them, /dev/null's and /dev/zero's numbers behave as those devices, a
# device without a driver cannot be opened. Without CAP_MKNOD all fail alike.
mkdir -p root/dev
mknod -m 666 root/dev/null c 1 3 && echo "mknod null ok"
mknod -m 666 root/dev/zero c 1 5 && echo "mknod zero ok"
mknod -m 600 root/dev/nodrv c 240 0 && echo "mknod nodrv ok"
mknod -m 660 root/dev/blk b 7 200 && echo "mknod blk ok"
stat -c '%n %F %a %t:%T' root/dev/* 2>&1
echo data > root/dev/null && echo "write null ok"
head -c 4 root/dev/zero 2>&1 | od -An -tx1
cat root/dev/nodrv 2>&1 | sed 's/^cat: //'
tar --sort=name --numeric-owner -cf dev.tar -C root dev 2>&1
tar -tvf dev.tar 2>/dev/null | awk '{print $1, $3, $NF}'
mkdir out && tar -xpf dev.tar -C out 2>&1
ls -l out/dev 2>&1 | awk 'NR > 1 {print $1, $5, $6, $NF}'
cp -a root/dev/zero root/dev/zero2 2>&1 && stat -c '%n %F %t:%T' root/dev/zero2
mv root/dev/nodrv root/dev/nodrv2 2>&1 && stat -c '%n %F' root/dev/nodrv2
rm -f root/dev/* && ls root/dev | wc -l
