# An autoconf/automake project made in the working directory: autoreconf, ./configure
# (hundreds of short compiler and shell processes), make -j2, make check (a test that
# passes, one that skips) and make distcheck (a tarball unpacked, built read-only out of
# tree, installed under a DESTDIR in /tmp and uninstalled).
set -e
mkdir -p src tests
cat > configure.ac <<'A'
AC_INIT([hello], [1.0], [a@b])
AM_INIT_AUTOMAKE([foreign -Wall -Werror subdir-objects])
AC_PROG_CC
AC_CHECK_HEADERS([unistd.h sys/epoll.h sys/inotify.h])
AC_CHECK_FUNCS([pipe2 accept4 memfd_create])
AC_CHECK_SIZEOF([long])
AC_FUNC_MMAP
AC_SYS_LARGEFILE
AC_CONFIG_HEADERS([config.h])
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
A
cat > Makefile.am <<'A'
bin_PROGRAMS = hello
hello_SOURCES = src/hello.c
TESTS = tests/t1.sh tests/t2.sh
EXTRA_DIST = $(TESTS)
A
cat > src/hello.c <<'A'
#include "config.h"
#include <stdio.h>
int main(void) { printf("hello %s %d\n", PACKAGE_VERSION, SIZEOF_LONG); return 0; }
A
printf '#!/bin/sh\n./hello | grep -q "hello 1.0"\n' > tests/t1.sh
printf '#!/bin/sh\nexit 77\n' > tests/t2.sh
chmod +x tests/t1.sh tests/t2.sh
autoreconf -fi > autoreconf.log 2>&1 || { cat autoreconf.log; exit 1; }
./configure > configure.log 2>&1 || { tail -20 config.log; exit 1; }
grep -E '^#define (HAVE_|SIZEOF_)' config.h
make -j2 > make.log 2>&1 || { cat make.log; exit 1; }
./hello
make check > check.log 2>&1 || { cat check.log; exit 1; }
grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR)' check.log
make distcheck > distcheck.log 2>&1 || { tail -30 distcheck.log; exit 1; }
grep 'archives ready' distcheck.log
tar -tzf hello-1.0.tar.gz | sort
