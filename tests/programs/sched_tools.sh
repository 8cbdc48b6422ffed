# util-linux scheduling tools on themselves and on a child: chrt (policies, priorities,
# reset-on-fork), ionice (classes, inheritance), taskset; pids are masked.
m() { sed -e 's/pid [0-9]*/pid N/g'; }
chrt -p $$ | m
chrt -f 10 chrt -p 0 | m
chrt -r 5 sh -c 'chrt -p $$' | m
chrt -b 0 nice -n 3 chrt -p 0 | m
chrt -i 0 chrt -p 0 | m
chrt -R -f 3 sh -c 'chrt -p $$; sh -c "chrt -p \$\$"' | m
chrt -f 100 true 2>&1 | m
chrt -m
sleep 5 &
p=$!
chrt -r -p 4 $p && chrt -p $p | m
kill $p
ionice
ionice -c3 ionice
ionice -c2 -n5 sh -c 'ionice; ionice -p $$'
ionice -c2 -n9 true; echo "level 9: $?"
taskset -c 0 taskset -p $$ | sed -e 's/pid [0-9]*/pid N/'
