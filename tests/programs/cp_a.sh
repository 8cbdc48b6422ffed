# cp -a of a host tree into the working directory (times, modes, symlinks kept), of the
# scratch tree the setup made, and over existing host files (copy-up in the sandbox).
set -e
digest() { find "$@" \( -type d -printf '%p d %m %T@\n' \) -o -printf '%p %y %m %s %T@ %l\n' | LC_ALL=C sort | md5sum; }
cp -a /usr/include/linux lx
diff -r /usr/include/linux lx && echo same
digest lx
cp -a src dst
digest dst | cut -c1-8 > d1
(cd src && digest .) > s1
(cd dst && digest .) > s2
cmp s1 s2 && echo copies-match
cp -a src/. src/sub
cp -a lx/types.h src/f1
echo changed > src/f2
cp -a src/f2 src/f3
cd src && digest . | cut -d' ' -f1 && cat f2 f3 && cmp f1 /usr/include/linux/types.h && echo over
