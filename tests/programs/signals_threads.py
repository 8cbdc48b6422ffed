"""Python signals with threads and children: a handler while a worker reads a pipe, the main
thread blocking the signal (its C handler runs elsewhere) and unblocking, sigwaitinfo for
SIGCHLD, KeyboardInterrupt from a timer thread, subprocess timeouts, raise_signal + sigpending."""
import os, signal, threading, time, sys, subprocess
out = []
def h(sig, frame):
    out.append((sig, threading.current_thread().name))
signal.signal(signal.SIGUSR1, h)
signal.signal(signal.SIGCHLD, h)
# A: worker blocked in os.read, signal from a child process; main sleeps
r, w = os.pipe()
res = []
pid = os.fork()  # (before any thread: a fork among threads may deadlock the child)
if pid == 0:
    time.sleep(0.2); os.kill(os.getppid(), signal.SIGUSR1); os._exit(3)
t = threading.Thread(target=lambda: res.append(os.read(r, 1)), name="reader"); t.start()
time.sleep(1)
os.write(w, b"z"); t.join()
_, st = os.waitpid(pid, 0)
print("A", sorted(out), res, os.waitstatus_to_exitcode(st)); out.clear()
# B: main blocks SIGUSR1 (C handler runs in a worker), unblocks later -> python handler in main
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
t = threading.Thread(target=lambda: res.append(os.read(r, 1)), name="reader2"); t.start()
time.sleep(0.1)
os.kill(os.getpid(), signal.SIGUSR1)
time.sleep(0.2)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})
os.write(w, b"y"); t.join()
print("B", out, res[-1]); out.clear()
# C: signal.sigtimedwait in main for SIGCHLD, once the readers' threads are gone: join
# returns before a thread's exit, and one still exiting (SIGCHLD not blocked) could take it
while len(os.listdir("/proc/self/task")) > 1:
    time.sleep(0.01)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
pid = os.fork()
if pid == 0:
    os._exit(0)
info = signal.sigtimedwait({signal.SIGCHLD}, 5)
os.waitpid(pid, 0)
print("C", info.si_signo, info.si_code == os.CLD_EXITED, info.si_status)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
out.clear()
# D: threading.Event wait interrupted by signal handler, KeyboardInterrupt via SIGINT
signal.signal(signal.SIGINT, signal.default_int_handler)  # (even if started with it ignored)
try:
    threading.Timer(0.1, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    threading.Event().wait(2)
    print("D no interrupt")
except KeyboardInterrupt:
    print("D KeyboardInterrupt")
# E: subprocess with timeout kills child
try:
    subprocess.run(["/bin/sleep", "5"], timeout=0.3)
except subprocess.TimeoutExpired:
    print("E timeout")
# F: signal.raise_signal + sigpending
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
signal.raise_signal(signal.SIGUSR2)
print("F", signal.SIGUSR2 in signal.sigpending())
