# gcc compiling a small project into the working directory, then running the result.
set -e
for f in main f1 f2 f3 f4; do gcc -O1 -c -o $f.o "$1/$f.c"; done
gcc -o prog main.o f1.o f2.o f3.o f4.o
./prog
gcc -O2 -o prog "$1"/*.c
./prog
ls
