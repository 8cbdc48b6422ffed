# Host objects on another filesystem than the overlay root's keep a device of their own
# (find -xdev, du -x, cp -a and tar tell equal inode numbers of two filesystems apart):
# for each directory under a few top-level ones, whether it is on /'s device.
root=$(stat -c %d /)
for top in /mnt /srv /opt /home /boot /media; do
	[ -d "$top" ] || continue
	find "$top" -maxdepth 4 -type d 2>/dev/null
done | sort | while IFS= read -r d; do
	dev=$(stat -c %d "$d" 2>/dev/null) || continue
	if [ "$dev" = "$root" ]; then echo "$d /"; else echo "$d other"; fi
done
