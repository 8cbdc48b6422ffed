# A CMake project (C and C++, a static library, threads, configure checks) configured,
# built with make -j2, tested with ctest -j2 (a test that must fail, one that matches its
# output) and installed under a prefix, all in the working directory.
set -e
mkdir cm
cat > cm/CMakeLists.txt <<'A'
cmake_minimum_required(VERSION 3.13)
project(demo C CXX)
include(CheckIncludeFile)
include(CheckFunctionExists)
check_include_file(sys/epoll.h HAVE_EPOLL)
check_function_exists(memfd_create HAVE_MEMFD)
find_package(Threads REQUIRED)
add_library(util STATIC util.c)
add_executable(app main.cpp)
target_link_libraries(app util Threads::Threads)
enable_testing()
add_test(NAME runs COMMAND app)
add_test(NAME fails COMMAND sh -c "exit 3")
set_tests_properties(fails PROPERTIES WILL_FAIL TRUE)
add_test(NAME out COMMAND app)
set_tests_properties(out PROPERTIES PASS_REGULAR_EXPRESSION "sum=4950")
install(TARGETS app DESTINATION bin)
A
cat > cm/util.c <<'A'
int sum(int n) { int s = 0; for (int i = 0; i < n; i++) s += i; return s; }
A
cat > cm/main.cpp <<'A'
#include <atomic>
#include <iostream>
#include <thread>
#include <vector>
extern "C" int sum(int);
int main()
{
	std::atomic<int> a{0};
	std::vector<std::thread> ts;
	for (int i = 0; i < 4; i++)
		ts.emplace_back([&] { a += 1; });
	for (auto &t : ts)
		t.join();
	std::cout << "sum=" << sum(100) << " threads=" << a << std::endl;
}
A
cmake -S cm -B build -G 'Unix Makefiles' > cmake.log 2>&1 || { cat cmake.log; exit 1; }
grep -E '^(HAVE_|CMAKE_HAVE_LIBC_PTHREAD)' build/CMakeCache.txt | sort
cmake --build build -j2 > build.log 2>&1 || { cat build.log; exit 1; }
build/app
(cd build && ctest -j2 > ../ctest.log 2>&1) || { cat ctest.log; exit 1; }
grep -E 'tests passed' ctest.log
sed -n 's/.*Test *#[0-9]*: \([a-z]*\) .*\(Passed\|Failed\).*/\1 \2/p' ctest.log | sort
cmake --install build --prefix "$PWD/inst" > /dev/null
ls inst/bin
