# multiprocessing with each start method: spawn (a fresh interpreter over inherited pipes),
# forkserver (a server process forking workers, descriptors passed over a unix socket with
# SCM_RIGHTS) and fork: a Pool, a Process with a Queue, an exit code, a Lock, a Barrier and
# a Manager (a server process reached over a socket).
import multiprocessing as mp
import os


def square(x):
    return x * x


def child(q):
    q.put(("child", os.getppid() != 0))


if __name__ == "__main__":
    for method in ("spawn", "forkserver", "fork"):
        ctx = mp.get_context(method)
        with ctx.Pool(2) as pool:
            print(method, sum(pool.map(square, range(50))))
        q = ctx.Queue()
        p = ctx.Process(target=child, args=(q,))
        p.start()
        print(method, q.get())
        p.join()
        print(method, "exit", p.exitcode)
        p = ctx.Process(target=os._exit, args=(7,))
        p.start()
        p.join()
        print(method, "exit", p.exitcode)
        lock = ctx.Lock()
        ctx.Barrier(1).wait()
        print(method, "lock", lock.acquire(timeout=5))
        mgr = ctx.Manager()
        d = mgr.dict()
        d["a"] = 1
        print(method, dict(d))
        mgr.shutdown()
