# scratch for cp_a.sh: files, a symlink, modes, fixed times
mkdir -p src/a/b
for i in 1 2 3; do echo "file $i" > src/f$i; done
echo deep > src/a/b/deep
ln -s f1 src/link
chmod 600 src/f1
chmod 751 src/a
touch -h -d '2001-02-03 04:05:06' src/f1 src/f2 src/f3 src/a/b/deep src/link src/a/b src/a src
