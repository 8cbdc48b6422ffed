# The libFuzzer harnesses and what each is built from, for tests/fuzz.sh (libFuzzer, clang)
# and tests/security/fuzz_smoke.sh (a plain driver, gcc): each_harness FN calls
# FN NAME FLAGS-AND-SOURCES... once per harness. Needs B (the build directory) and the
# project root as the working directory.
each_harness() {
	"$1" fuzz_gofer tests/fuzz/fuzz_gofer.c fs/gofer.c net/policy.c net/resolve.c "$B/gen/filters.c"
	"$1" fuzz_elf tests/fuzz/fuzz_elf.c loader/elf.c
	# syscall argument decoding: the whole sentry but main.c, guest memory faked (see the file)
	"$1" fuzz_trace -Dprocess_vm_readv=fuzz_vm_readv -Dprocess_vm_writev=fuzz_vm_writev \
		tests/fuzz/fuzz_trace.c $(ls sentry/*.c platform/*.c platform/*/*.c fs/*.c net/*.c \
		syscalls/*.c loader/*.c 2>/dev/null | grep -v '^sentry/main.c$') "$B/gen/filters.c"
}
