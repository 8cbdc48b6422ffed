# File operations on files that exist on the host (in the sandbox: through the overlay);
# prints results and errno names only, so the native and the sandboxed runs must agree.
import errno, mmap, os, stat

def en(e):
    return errno.errorcode.get(e.errno, str(e.errno))

def attempt(name, fn, *a):
    try:
        r = fn(*a)
        print(name, "ok" if r is None else r)
    except OSError as e:
        print(name, en(e))

def ls(d="."):
    return sorted(os.listdir(d))

def st(p):
    s = os.lstat(p)
    return (stat.filemode(s.st_mode), s.st_size, s.st_nlink)

ino_a = os.stat("a").st_ino
with open("a", "a") as f:
    f.write("appended\n")
print("append", open("a").read().split(), os.stat("a").st_ino == ino_a, st("a"))
print("mtime kept until written", os.stat("b").st_mtime == os.stat("c").st_mtime)
fd = os.open("b", os.O_RDWR)
os.close(fd)
print("open rw, no write", st("b"), int(os.stat("b").st_mtime))
os.truncate("b", 3)
print("truncate", open("b").read(), st("b"))
os.chmod("c", 0o600)
os.utime("c", ns=(1000000000123456789, 1100000000987654321))
s = os.stat("c")
print("chmod utime", oct(s.st_mode & 0o7777), s.st_atime_ns, s.st_mtime_ns)
attempt("O_EXCL on host file", os.open, "a", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
with open("c", "w") as f:
    f.write("replaced")
print("O_TRUNC write", open("c").read(), os.stat("c").st_size)

os.unlink("a")
print("after unlink", ls(), os.path.lexists("link"), os.path.exists("link"))
attempt("stat unlinked", os.stat, "a")
with open("a", "w") as f:
    f.write("again")
print("re-created", open("a").read(), "a" in ls())
attempt("rmdir full", os.rmdir, "full")
attempt("rmdir full/a", os.rmdir, "full/a")
os.unlink("full/a/x")
attempt("rmdir full/a emptied", os.rmdir, "full/a")
attempt("rmdir full", os.rmdir, "full")
os.mkdir("full")
print("new dir over removed one", ls("full"))
attempt("rmdir empty host dir", os.rmdir, "empty")

os.rename("b", "c")
print("rename over host file", ls(), open("c").read())
os.rename("dir", "moved")
print("rename host dir", ls(), ls("moved"), ls("moved/sub"), open("moved/sub/deep").read())
print("dirlink now dangling", os.path.exists("dirlink"), os.readlink("dirlink"))
os.rename("moved/inner", "inner")
os.mkdir("dir")
print("dir re-created", ls("dir"), ls("moved"))
os.link("inner", "hard")
print("hard link", st("hard"), os.stat("hard").st_ino == os.stat("inner").st_ino)
os.symlink("inner", "sym")
print("symlink", os.readlink("sym"), open("sym").read())
os.unlink("link")
print("unlink host symlink", ls())

with open("mapped", "r+b") as f:
    m = mmap.mmap(f.fileno(), 4096)
    m[0:5] = b"hello"
    m.flush()
    print("mmap shared", open("mapped", "rb").read(8))
    m.close()
with open("mapped", "r+b") as f:
    m = mmap.mmap(f.fileno(), 4096, flags=mmap.MAP_PRIVATE)
    m[0:3] = b"PRV"
    print("mmap private", m[0:8], open("mapped", "rb").read(8))
    m.close()
with open("inner", "rb") as f:
    m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
    print("mmap read-only copied-up", m[:])
    m.close()
with os.scandir(".") as it:
    print("scandir", sorted((e.name, e.is_dir(follow_symlinks=False), e.is_symlink()) for e in it))
print("walk", sorted((r, sorted(d), sorted(f)) for r, d, f in os.walk(".")))
