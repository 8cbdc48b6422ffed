# tail -f follows a file through inotify: with a 30 s polling interval as the fallback, the
# appended line shows up within the 10 s below only if the inotify event arrives.
f=$(mktemp) || exit 1
echo first > "$f"
tail -s 30 -f "$f" > "$f.out" &
p=$!
sleep 0.2
echo second >> "$f"
i=0
while [ $i -lt 100 ] && ! grep -q second "$f.out"; do
	sleep 0.1
	i=$((i + 1))
done
kill $p
wait
cat "$f.out"
rm -f "$f" "$f.out"
