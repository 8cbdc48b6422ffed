# Unix sockets from Python: an asyncio server and clients on a path, asyncio subprocesses,
# multiprocessing Pipe, Manager (a server on a socket) and a forkserver pool, a large
# socketpair transfer with shutdown.
import asyncio, os, socket, multiprocessing as mp, sys, tempfile, subprocess

async def handle(r, w):
    data = await r.readline()
    w.write(data.upper()); await w.drain(); w.close()

async def main():
    d = tempfile.mkdtemp()
    p = os.path.join(d, "s")
    srv = await asyncio.start_unix_server(handle, p)
    out = []
    for i in range(3):
        r, w = await asyncio.open_unix_connection(p)
        w.write(b"hello %d\n" % i); await w.drain()
        out.append((await r.readline()).decode().strip())
        w.close()
    srv.close(); await srv.wait_closed()
    print(out)
    proc = await asyncio.create_subprocess_exec("sh", "-c", "echo sub; exit 3", stdout=asyncio.subprocess.PIPE)
    o, _ = await proc.communicate(); print(o, proc.returncode)

def f(x): return x * x
if __name__ == "__main__":
    asyncio.run(main())
    a, b = mp.Pipe()
    a.send({"k": [1, 2]}); print(b.recv())
    with mp.Manager() as m:
        l = m.list([1, 2]); l.append(3); print(list(l))
    ctx = mp.get_context("forkserver")
    with ctx.Pool(2) as pool: print(pool.map(f, range(5)))
    s1, s2 = socket.socketpair()
    import threading
    def wr():
        s1.sendall(b"x" * 1000000); s1.shutdown(socket.SHUT_WR)
    th = threading.Thread(target=wr); th.start()
    n = 0
    while True:
        c = s2.recv(65536)
        if not c: break
        n += len(c)
    print("bytes", n)
    th.join()
