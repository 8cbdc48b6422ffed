# ls -laR of the 10,000-file tree the setup made, then after changes to it (new files and
# directories, a removal, a rename, a chmod), and du over it.
set -e
ls -laR --time-style=+ . | md5sum
ls -laR . | wc -l
du -sh d0 . | cut -f1
mkdir d0/new
echo x > d0/new/f
rm d1/f5
mv d2/f1 d2/g1
chmod 600 d3/f2
echo more >> d4/f4
ls -laR --time-style=+ . | grep -v '^total' | md5sum
ls -laR . | wc -l
du -s --apparent-size --block-size=1 d4 d2
