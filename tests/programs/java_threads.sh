# Java: the JVM's version, then a class run from source (java T.java: compiled in memory)
# with a thread pool, a NullPointerException and a StackOverflowError (the JVM's SIGSEGV
# handler and guard pages), files, a child process and a TCP socket on loopback.
java -version 2>&1 | head -1
cd "$(mktemp -d)" && cp "$1/Threads.java" . && java -Xshare:auto Threads.java
s=$?
cd / && rm -rf "$OLDPWD"
exit $s
