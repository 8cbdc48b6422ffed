# Cargo and rustc inside (rustup's toolchain, offline): a workspace of a proc-macro crate
# (rustc dlopens it), a build script that runs a command, two libraries and a binary with
# an integration test, built with -j2 (the jobserver's pipe), tested with three test
# threads, rebuilt incrementally; then a program using std's threads, Mutex, Condvar, mpsc,
# Barrier, Command with pipes, fs (metadata, read_dir, rename, symlinks, permissions),
# TCP and UDP on loopback and panics (unwinding and RUST_BACKTRACE=1's frames).
export CARGO_HOME=/root/.cargo RUSTUP_HOME=/root/.rustup PATH=/root/.cargo/bin:$PATH
export CARGO_TERM_COLOR=never RUST_BACKTRACE=0 RUSTUP_AUTO_INSTALL=0
mkdir -p ws/macros/src ws/core/src ws/util/src ws/app/src ws/app/tests && cd ws || exit 1
cat > Cargo.toml <<'T'
[workspace]
resolver = "2"
members = ["macros", "core", "util", "app"]
T
for c in macros core util app; do printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2021"\n' $c > $c/Cargo.toml; done
printf '[lib]\nproc-macro = true\n' >> macros/Cargo.toml
printf '[dependencies]\nmacros = { path = "../macros" }\n' >> core/Cargo.toml
printf '[dependencies]\ncore = { path = "../core" }\nutil = { path = "../util" }\n' >> app/Cargo.toml
cat > macros/src/lib.rs <<'T'
extern crate proc_macro;
use proc_macro::TokenStream;
#[proc_macro_derive(Describe)]
pub fn describe(input: TokenStream) -> TokenStream {
	let s = input.to_string();
	let name = s.split_whitespace().skip_while(|w| *w != "struct").nth(1).unwrap().to_string();
	let name = name.trim_end_matches(|c: char| !c.is_alphanumeric()).to_string();
	format!("impl {} {{ pub fn describe() -> &'static str {{ \"{} (derived)\" }} }}", name, name).parse().unwrap()
}
T
cat > core/build.rs <<'T'
fn main() {
	let out = std::env::var("OUT_DIR").unwrap();
	let v = std::process::Command::new("sh").arg("-c").arg("echo 17").output().unwrap();
	let n = String::from_utf8(v.stdout).unwrap().trim().to_string();
	std::fs::write(format!("{}/gen.rs", out), format!("pub const GEN: u32 = {};\n", n)).unwrap();
	println!("cargo:rerun-if-changed=build.rs");
}
T
cat > core/src/lib.rs <<'T'
include!(concat!(env!("OUT_DIR"), "/gen.rs"));
#[derive(macros::Describe)]
pub struct Report { pub total: u64 }
pub fn fib(n: u64) -> u64 { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
#[cfg(test)] mod t {
	#[test] fn gen() { assert_eq!(super::GEN, 17); }
	#[test] fn derived() { assert_eq!(super::Report::describe(), "Report (derived)"); }
	#[test] fn fib() { assert_eq!(super::fib(20), 6765); }
}
T
cat > util/src/lib.rs <<'T'
use std::collections::BTreeMap;
pub fn words(s: &str) -> BTreeMap<String, usize> {
	let mut m = BTreeMap::new();
	for w in s.split_whitespace() { *m.entry(w.to_string()).or_insert(0) += 1; }
	m
}
#[cfg(test)] mod t { #[test] fn w() { assert_eq!(super::words("a b a")["a"], 2); } }
T
cat > app/tests/integ.rs <<'T'
#[test] fn runs_binary() {
	let o = std::process::Command::new(env!("CARGO_BIN_EXE_app")).arg("quiet").output().unwrap();
	assert!(o.status.success());
	assert_eq!(String::from_utf8_lossy(&o.stdout), "Report (derived) 6782\n");
}
T
cat > app/src/main.rs <<'T'
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::unix::fs::{symlink, PermissionsExt};
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc, Barrier, Condvar, Mutex};
use std::thread;

fn threads() {
	let m = Arc::new(Mutex::new(0u64));
	let hs: Vec<_> = (0..8).map(|_| { let m = m.clone(); thread::spawn(move || for _ in 0..10000 { *m.lock().unwrap() += 1; }) }).collect();
	hs.into_iter().for_each(|h| h.join().unwrap());
	println!("mutex {}", *m.lock().unwrap());
	let pair = Arc::new((Mutex::new(false), Condvar::new()));
	let p2 = pair.clone();
	let t = thread::spawn(move || { *p2.0.lock().unwrap() = true; p2.1.notify_one(); });
	let mut ready = pair.0.lock().unwrap();
	while !*ready { ready = pair.1.wait(ready).unwrap(); }
	drop(ready);
	t.join().unwrap();
	let r = pair.1.wait_timeout(pair.0.lock().unwrap(), std::time::Duration::from_millis(20)).unwrap();
	println!("condvar timed_out={}", r.1.timed_out());
	let (tx, rx) = mpsc::channel();
	for i in 0..4 { let tx = tx.clone(); thread::spawn(move || for j in 0..100 { tx.send(i * 1000 + j).unwrap(); }); }
	drop(tx);
	println!("mpsc sum {}", rx.iter().map(|x: i64| x).sum::<i64>());
	let b = Arc::new(Barrier::new(5));
	let hs: Vec<_> = (0..5).map(|_| { let b = b.clone(); thread::spawn(move || b.wait().is_leader()) }).collect();
	println!("barrier leaders {}", hs.into_iter().filter(|_| true).map(|h| h.join().unwrap()).filter(|&x| x).count());
}

fn process() {
	let mut c = Command::new("sh").arg("-c").arg("tr a-z A-Z; echo err >&2; exit 3")
		.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
	c.stdin.take().unwrap().write_all(b"hello pipes\n").unwrap();
	let o = c.wait_with_output().unwrap();
	println!("cmd {:?} {:?} {:?}", o.status.code(), String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
	println!("missing {:?}", Command::new("/nonexistent/prog").spawn().err().map(|e| e.kind()));
	let mut c = Command::new("sleep").arg("10").spawn().unwrap();
	c.kill().unwrap();
	use std::os::unix::process::ExitStatusExt;
	println!("killed by {:?}", c.wait().unwrap().signal());
	let mut c = Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
	let mut inp = c.stdin.take().unwrap();
	let w = thread::spawn(move || for _ in 0..1000 { inp.write_all(&[b'x'; 1000]).unwrap(); });
	let mut out = Vec::new();
	c.stdout.take().unwrap().read_to_end(&mut out).unwrap();
	w.join().unwrap();
	c.wait().unwrap();
	println!("cat {}", out.len());
}

fn fs() {
	let d = std::path::Path::new("fsdemo");
	std::fs::create_dir_all(d.join("sub/deep")).unwrap();
	std::fs::write(d.join("a.txt"), b"alpha").unwrap();
	let m = std::fs::metadata(d.join("a.txt")).unwrap();
	println!("meta {} {} {}", m.len(), m.is_file(), m.permissions().readonly());
	std::fs::rename(d.join("a.txt"), d.join("sub/a2.txt")).unwrap();
	symlink("sub/a2.txt", d.join("link")).unwrap();
	println!("symlink {:?} {:?}", std::fs::read_link(d.join("link")).unwrap(), std::fs::read_to_string(d.join("link")).unwrap());
	let mut p = std::fs::metadata(d.join("sub/a2.txt")).unwrap().permissions();
	p.set_mode(0o640);
	std::fs::set_permissions(d.join("sub/a2.txt"), p).unwrap();
	println!("mode {:o}", std::fs::metadata(d.join("sub/a2.txt")).unwrap().permissions().mode() & 0o7777);
	let mut names: Vec<_> = std::fs::read_dir(d.join("sub")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
	names.sort();
	println!("read_dir {:?}", names);
	println!("copy {}", std::fs::copy(d.join("link"), d.join("c.txt")).unwrap());
	println!("rmdir {:?}", std::fs::remove_dir(d.join("sub")).err().map(|e| e.kind()));
	std::fs::remove_dir_all(d).unwrap();
	println!("removed {}", !d.exists());
}

fn net() {
	let l = TcpListener::bind("127.0.0.1:0").unwrap();
	let addr = l.local_addr().unwrap();
	let t = thread::spawn(move || for _ in 0..2 {
		let (s, _) = l.accept().unwrap();
		let mut line = String::new();
		BufReader::new(s.try_clone().unwrap()).read_line(&mut line).unwrap();
		(&s).write_all(format!("echo:{}", line).as_bytes()).unwrap();
	});
	for i in 0..2 {
		let mut s = TcpStream::connect(addr).unwrap();
		s.write_all(format!("msg{}\n", i).as_bytes()).unwrap();
		let mut r = String::new();
		s.read_to_string(&mut r).unwrap();
		print!("tcp {}", r);
	}
	t.join().unwrap();
	let u = UdpSocket::bind("127.0.0.1:0").unwrap();
	let v = UdpSocket::bind("127.0.0.1:0").unwrap();
	u.send_to(b"dgram", v.local_addr().unwrap()).unwrap();
	let mut buf = [0u8; 64];
	let (n, from) = v.recv_from(&mut buf).unwrap();
	println!("udp {:?} {}", std::str::from_utf8(&buf[..n]).unwrap(), from == u.local_addr().unwrap());
	println!("refused {:?}", TcpStream::connect("127.0.0.1:1").err().map(|e| e.kind()));
}

#[inline(never)]
fn deep(n: u32) -> u32 { if n == 0 { panic!("boom at depth"); } deep(n - 1) + 1 }

fn main() {
	let r = core::Report { total: core::fib(20) + core::GEN as u64 };
	println!("{} {}", core::Report::describe(), r.total);
	if std::env::args().nth(1).as_deref() == Some("quiet") { return; }
	if std::env::args().nth(1).as_deref() == Some("panic") { deep(2); }
	println!("{:?}", util::words("to be or not to be"));
	threads();
	process();
	fs();
	net();
	println!("caught {}", std::panic::catch_unwind(|| deep(3)).is_err());
	println!("thread panic {}", thread::spawn(|| { let v: Vec<i32> = vec![]; v[1] }).join().is_err());
}
T
cargo build -q -j2 --offline 2>&1 || exit 1
cargo test -q -j2 --offline -- --test-threads=3 2>&1 | grep -E '^test result' | sed 's/finished in .*//' | sort | uniq -c
echo 'pub fn extra() -> u32 { 7 }' >> util/src/lib.rs
cargo build -j2 --offline 2>&1 | grep -E 'Compiling|error' | sed 's/ (.*//'
ls target/debug/incremental | sed -E 's/-[0-9a-z]+$//' | sort | uniq -c
cargo run -q --offline -p app 2>&1 | sed -E "s/thread '([^']*)' \([0-9]+\)/thread '\1'/"
RUST_BACKTRACE=1 cargo run -q --offline -p app -- panic > panic.log 2>&1
echo "panic exit $?"
sed -E "s/thread '([^']*)' \([0-9]+\)/thread '\1'/" panic.log | grep -E "panicked|boom|app::deep|app::main"
