# scratch for nginx.sh: files for nginx to serve (small, empty, a few MB, sparse, in a
# subdirectory), the same on every run
mkdir -p data/sub
printf 'hello nginx\n' > data/index.html
printf '%s\n' 'a small file' > data/small.txt
: > data/empty.bin
seq 1 300000 > data/large.txt
truncate -s 8M data/sparse.bin
printf MIDDLE | dd of=data/sparse.bin bs=1 seek=4194304 conv=notrunc status=none
printf END | dd of=data/sparse.bin bs=1 seek=8388605 conv=notrunc status=none
printf x > data/sub/one.txt
chmod -R a+rX .
