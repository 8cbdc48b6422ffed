# CMake with Ninja: try_compile and a check that runs a program, a generator program whose
# output a library is built from, a shared C++ library with threads, six test programs,
# ninja -j2 (posix_spawn, pipes, ppoll), a no-op rebuild, an incremental one, ctest -j2
# (one test that must fail, one that times out, one that matches its output) and a
# failing compile that must stop ninja.
mkdir -p p/lib p/tools
cat > p/CMakeLists.txt <<'A'
cmake_minimum_required(VERSION 3.16)
project(multi C CXX)
include(CheckCSourceRuns)
include(CheckTypeSize)
check_c_source_runs("#include <unistd.h>\nint main(void){return sysconf(_SC_PAGESIZE) == 4096 ? 0 : 1;}" PAGE_4K)
check_type_size("long" SIZEOF_LONG)
try_compile(TC_OK ${CMAKE_BINARY_DIR}/tc SOURCES ${CMAKE_SOURCE_DIR}/tools/gen.c)
message(STATUS "try_compile=${TC_OK} page4k=${PAGE_4K} long=${SIZEOF_LONG}")
find_package(Threads REQUIRED)
add_executable(gen tools/gen.c)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/table.h COMMAND gen > ${CMAKE_BINARY_DIR}/table.h DEPENDS gen)
add_library(core STATIC lib/core.c ${CMAKE_BINARY_DIR}/table.h)
target_include_directories(core PUBLIC ${CMAKE_BINARY_DIR} lib)
add_library(shared SHARED lib/shared.cpp)
target_link_libraries(shared PRIVATE Threads::Threads)
enable_testing()
foreach(i RANGE 1 6)
  add_executable(t${i} lib/t.c)
  target_compile_definitions(t${i} PRIVATE N=${i})
  target_link_libraries(t${i} core shared)
  add_test(NAME t${i} COMMAND t${i})
endforeach()
add_test(NAME fail COMMAND sh -c "exit 1")
set_tests_properties(fail PROPERTIES WILL_FAIL TRUE)
add_test(NAME timeout COMMAND sleep 5)
set_tests_properties(timeout PROPERTIES TIMEOUT 1)
add_test(NAME regex COMMAND t3)
set_tests_properties(regex PROPERTIES PASS_REGULAR_EXPRESSION "square=9")
A
cat > p/tools/gen.c <<'A'
#include <stdio.h>
int main(void)
{
	printf("static const int squares[] = {");
	for (int i = 0; i < 10; i++)
		printf("%d,", i * i);
	printf("};\n");
	return 0;
}
A
cat > p/lib/core.c <<'A'
#include "table.h"
int square(int i) { return squares[i]; }
A
cat > p/lib/core.h <<'A'
int square(int i);
int par_sum(int n);
A
cat > p/lib/shared.cpp <<'A'
#include <atomic>
#include <thread>
#include <vector>
extern "C" int par_sum(int n)
{
	std::atomic<int> s{0};
	std::vector<std::thread> ts;
	for (int i = 1; i <= n; i++)
		ts.emplace_back([&s, i] { s += i; });
	for (auto &t : ts)
		t.join();
	return s;
}
A
cat > p/lib/t.c <<'A'
#include <stdio.h>
#include "core.h"
int main(void)
{
	printf("square=%d par=%d\n", square(N), par_sum(N));
	return square(N) == N * N && par_sum(N) == N * (N + 1) / 2 ? 0 : 1;
}
A
cmake -G Ninja -S p -B b > cfg.log 2>&1 || { cat cfg.log; exit 1; }
grep -E 'try_compile=' cfg.log
ninja -C b -j2 > build.log 2>&1 || { cat build.log; exit 1; }
grep -c '^\[' build.log
ninja -C b -j2 | tail -n 1
touch p/lib/core.c
ninja -C b -j2 | grep -c 'Linking'
(cd b && ctest -j2 > ../ctest.log 2>&1); echo "ctest exit $?"
sed -n 's/.*Test *#[0-9]*: \([a-z0-9]*\) .*\(Passed\|Failed\|Timeout\).*/\1 \2/p' ctest.log | sort
grep -E 'tests passed' ctest.log
echo 'int bad(' > p/lib/core.c
ninja -C b -j2 > fail.log 2>&1; echo "ninja exit $?"
grep -c '^FAILED' fail.log
