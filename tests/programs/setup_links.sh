# scratch for overlay_links.py: host files with several names (hard links).
mkdir d1 d2
echo one > d1/a
ln d1/a d1/b
ln d1/a d2/c
for f in x p m r; do echo "host $f" > $f; done
ln x y
ln p q
ln m n
ln r s
echo t > t
chmod 640 m
