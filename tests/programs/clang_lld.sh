# clang and lld inside: lld, ThinLTO with a cache and two jobs, AddressSanitizer (its
# shadow memory dump) with UBSan, LeakSanitizer (which stops the threads with ptrace) over
# live threads, C++ threads, exceptions and iostreams, clang's -ftime-trace.
cat > ub.c <<'C'
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
	(void)argv;
	int x = INT_MAX - 1 + argc;
	x += argc;
	int sh = 33 - argc;
	printf("%d %d\n", x, 1 << (sh + argc));
	int *a = malloc(4 * sizeof(int));
	a[argc + 3] = 7;
	free(a);
	return 0;
}
C
cat > lsan.c <<'C'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static pthread_barrier_t b;
static void *hold(void *a) { (void)a; pthread_barrier_wait(&b); pause(); return NULL; }
int main(void)
{
	pthread_t t[4];
	pthread_barrier_init(&b, NULL, 5);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hold, NULL);
	pthread_barrier_wait(&b);
	void *lost = malloc(77);
	lost = NULL;
	printf("threads up\n");
	fflush(stdout);
	exit(0);
}
C
cat > a.c <<'C'
int helper(int x);
int main(void) { return helper(20) == 42 ? 0 : 1; }
C
cat > b.c <<'C'
int helper(int x) { return x * 2 + 2; }
C
cat > cxx.cpp <<'C'
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>
struct E : std::runtime_error {
	int code;
	E(int c) : std::runtime_error("E" + std::to_string(c)), code(c) {}
};
static int thrower(int n) { if (n == 0) throw E(42); return thrower(n - 1) + 1; }
int main()
{
	std::mutex m;
	std::map<int, int> seen;
	std::vector<std::thread> ts;
	for (int i = 0; i < 6; i++)
		ts.emplace_back([&, i] {
			try { thrower(i); } catch (const E &e) { std::lock_guard<std::mutex> g(m); seen[i] = e.code; }
		});
	for (auto &t : ts)
		t.join();
	for (auto &kv : seen)
		std::cout << kv.first << "=" << kv.second << " ";
	std::cout << "\n";
	auto f = std::async(std::launch::async, [] { return thrower(3); });
	try { f.get(); } catch (const std::exception &e) { std::cout << "async threw " << e.what() << "\n"; }
	std::ostringstream os;
	os << std::hex << 255 << " " << std::scientific << 1.5;
	std::cout << os.str() << "\n";
	{ std::ofstream o("cxx.tmp"); o << "line1\nline2\n"; }
	std::ifstream in("cxx.tmp");
	std::string l;
	int n = 0;
	while (std::getline(in, l))
		n++;
	std::cout << "lines " << n << "\n";
	return 0;
}
C
norm() { sed -E 's/==[0-9]+==/==PID==/; s/0x[0-9a-f]+/ADDR/g; s/\(BuildId: [0-9a-f]+\)//'; }
clang -O2 -fuse-ld=lld a.c b.c -o ab && ./ab; echo "lld exit $?"
clang -O2 -flto=thin -c a.c b.c && clang -O2 -flto=thin -fuse-ld=lld -Wl,--thinlto-jobs=2 \
	-Wl,--thinlto-cache-dir=ltocache a.o b.o -o lto && ./lto; echo "thinlto exit $? cache $(ls ltocache | wc -l)"
clang -g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer ub.c -o ub_asan || exit 1
./ub_asan 2>&1 | norm | grep -vE '^ +#[0-9]+ ADDR in __libc_start'; echo "asan exit $?"
clang -g -fsanitize=address lsan.c -o lsan -pthread || exit 1
./lsan 2>&1 | norm | grep -E 'threads up|ERROR|SUMMARY|Direct'
clang++ -O2 -std=c++17 -pthread -fuse-ld=lld cxx.cpp -o cxx && ./cxx; echo "c++ exit $?"
clang -ftime-trace -c ub.c -o ub_tt.o && python3 -c '
import json
ev = json.load(open("ub_tt.json"))["traceEvents"]
print("time-trace", len(ev) > 10, sorted(set(e["name"] for e in ev if e["name"] in ("Frontend", "Backend", "ExecuteCompiler"))))'
