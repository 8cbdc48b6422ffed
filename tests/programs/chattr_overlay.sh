# chattr in a host directory (a scratch one): immutable and append-only on a host file
# (inside, the overlay copies it up first, as overlayfs does), a file and a directory
# made here. Only the i and a columns of lsattr: the rest is the file system's own.
trap 'chattr -R -i -a . 2>/dev/null' EXIT  # the harness removes the directory
for f in h new; do
	[ -e $f ] || echo made > $f
	chattr +i $f; echo "$f +i: $? $(lsattr $f | cut -c5,6)"
	echo more >> $f 2>/dev/null; echo "append: $?"
	rm -f $f 2>/dev/null; echo "rm: $?"
	mv $f $f.moved 2>/dev/null; echo "mv: $?"
	chattr -i $f; chattr +a $f; echo "$f +a: $? $(lsattr $f | cut -c5,6)"
	echo more >> $f; echo "append: $?"
	(: > $f) 2>/dev/null; echo "truncate: $?"
	chattr -a $f; echo "$f -a: $? $(lsattr $f | cut -c5,6)"
	cat $f
done
mkdir d
chattr +i d; echo "d +i: $? $(lsattr -d d | cut -c5,6)"
touch d/x 2>/dev/null; echo "create in d: $?"
chattr -i d; touch d/x; echo "create after -i: $?"
