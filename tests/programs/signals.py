"""Python signal handling with threads: pthread_kill, os.kill from a thread, sigwait and
sigtimedwait in a worker while the main thread blocks the signal, setitimer, alarm and pause,
set_wakeup_fd, and SIGTERM taken by a thread (the whole process ends)."""
import os, signal, threading, time, sys
out = []
def h(sig, frame):
    out.append(("handler", sig, threading.current_thread() is threading.main_thread()))
signal.signal(signal.SIGUSR1, h)
# 1. pthread_kill to main from a thread
t = threading.Thread(target=lambda: signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1))
t.start(); t.join(); time.sleep(0.05)
print("1", out); out.clear()
# 2. os.kill from a thread while main sleeps
def k():
    time.sleep(0.1); os.kill(os.getpid(), signal.SIGUSR1)
t = threading.Thread(target=k); t.start(); time.sleep(0.5); t.join()
print("2", out); out.clear()
# 3. main blocks SIGUSR2, worker sigwait
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
res = []
def w():
    res.append(signal.sigwait({signal.SIGUSR2}))
t = threading.Thread(target=w); t.start(); time.sleep(0.1)
os.kill(os.getpid(), signal.SIGUSR2); t.join(2)
print("3", res, t.is_alive())
# 4. sigtimedwait in worker for process signal sent before
os.kill(os.getpid(), signal.SIGUSR2)
print("4 pending main", signal.SIGUSR2 in signal.sigpending())
r = []
t = threading.Thread(target=lambda: r.append(signal.sigtimedwait({signal.SIGUSR2}, 1))); t.start(); t.join()
print("4", r[0].si_signo if r[0] else None, r[0].si_code if r[0] else None)
# 5. setitimer with main waiting on a lock
signal.signal(signal.SIGALRM, h)
signal.setitimer(signal.ITIMER_REAL, 0.05)
time.sleep(0.3)
print("5", out); out.clear()
# 6. alarm + pause
signal.alarm(1); signal.pause(); print("6", out); out.clear()
# 7. signal.set_wakeup_fd
rfd, wfd = os.pipe(); os.set_blocking(wfd, False)
signal.set_wakeup_fd(wfd)
os.kill(os.getpid(), signal.SIGUSR1)
time.sleep(0.05)
print("7", os.read(rfd, 10), out); out.clear()
signal.set_wakeup_fd(-1)
# 8. SIGTERM default kills group from a thread
import subprocess
p = subprocess.run([sys.executable, "-c", "import os,signal,threading,time\nsignal.pthread_sigmask(signal.SIG_BLOCK,{signal.SIGTERM})\nt=threading.Thread(target=lambda: (signal.pthread_sigmask(signal.SIG_UNBLOCK,{signal.SIGTERM}), time.sleep(5)))\nt.start(); time.sleep(0.1); os.kill(os.getpid(), signal.SIGTERM); time.sleep(3); print('alive')"], capture_output=True)
print("8", p.returncode, p.stdout)
