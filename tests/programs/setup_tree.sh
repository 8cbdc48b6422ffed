# A tree of 100 directories of 100 files each (10,000 files), with fixed times.
i=0
while [ $i -lt 100 ]; do
	mkdir d$i
	j=0
	while [ $j -lt 100 ]; do
		echo "$i $j" > d$i/f$j
		j=$((j + 1))
	done
	i=$((i + 1))
done
find . -exec touch -h -d '2001-02-03 04:05:06' {} +
