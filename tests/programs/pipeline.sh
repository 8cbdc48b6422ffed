# Shell pipelines and command substitution (run by /bin/sh natively and in the sandbox).
seq 1 1000 | sort -r | head -3 | wc -l
x=$(echo captured | tr a-z A-Z)
echo "$x"
printf 'b\na\nc\n' | sort | uniq -c | awk '{print $2 $1}'
yes | head -c 100000 | wc -c
