# tar czf of /usr/include into the working directory, then tar xzf of it; prints digests of
# the archive's listing and of the extracted tree (names, types, modes, file sizes, times,
# contents), and compares the tree with the original.
set -e
tar czf inc.tgz -C /usr include
tar tzvf inc.tgz | LC_ALL=C sort | md5sum
mkdir x
tar xzf inc.tgz -C x
cd x
find . -mindepth 1 \( -type d -printf '%p d %m %T@\n' \) -o -printf '%p %y %m %s %T@ %l\n' | LC_ALL=C sort | md5sum
find . -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum | md5sum
diff -r /usr/include include && echo same
ls | wc -l
