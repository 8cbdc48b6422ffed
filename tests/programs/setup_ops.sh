# scratch for overlay_ops.py: host files, directories and symlinks to change.
mkdir -p dir/sub empty full/a
for f in a b c; do echo "host $f" > $f; done
echo inner > dir/inner
echo deep > dir/sub/deep
echo x > full/a/x
ln -s a link
ln -s dir dirlink
printf '%4096s' '' | tr ' ' 'm' > mapped
chmod 640 c
touch -d '2001-02-03 04:05:06' a b c dir dir/inner mapped
