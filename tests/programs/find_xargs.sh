# find | xargs over host files and over the scratch tree (chmod copies host files up).
set -e
find /usr/include/linux -name '*.h' -print0 | LC_ALL=C sort -z | xargs -0 grep -l '#define' | wc -l
find /usr/include/linux -type f | LC_ALL=C sort | xargs md5sum | md5sum
find . -type f -name 'f*' | LC_ALL=C sort | xargs chmod 640
find . -type f -name '*1' -print0 | xargs -0 rm
find . -type f -printf '%p %m %s\n' | LC_ALL=C sort
find . -type f | xargs -n 5 cat | md5sum
