# A FIFO between a background reader and a writer, then a second round the other way.
d=$(mktemp -d) || exit 1
cd "$d" || exit 1
mkfifo p
cat p &
echo hi > p
wait
(sleep 0.1; echo "late writer" > p) &
cat p
wait
ls -l p | cut -c1
cd / && rm -rf "$d"
