# Hard links among host files (in the sandbox: through the overlay, which must keep every
# host name of one host file one file, as overlayfs with index=on does). Prints results and
# errno names only, so the native and the sandboxed runs must agree.
import errno, os, stat

def st(p):
    s = os.lstat(p)
    return (stat.filemode(s.st_mode), s.st_size, s.st_nlink)

def same(*ps):
    ids = {(os.lstat(p).st_dev, os.lstat(p).st_ino) for p in ps}
    return len(ids) == 1

def read(p):
    with open(p) as f:
        return f.read().split()

def attempt(name, fn, *a):
    try:
        r = fn(*a)
        print(name, "ok" if r is None else r)
    except OSError as e:
        print(name, errno.errorcode.get(e.errno, str(e.errno)))

print("host links", st("d1/a"), st("d1/b"), st("d2/c"), same("d1/a", "d1/b", "d2/c"))
with open("d1/a", "a") as f:
    f.write("two\n")
print("write via a", read("d1/b"), read("d2/c"), st("d2/c"), same("d1/a", "d1/b", "d2/c"))
with open("d1/b", "r+") as f:
    f.write("ONE")
print("write via b", read("d1/a"), read("d2/c"))
os.unlink("d1/a")
print("unlink a", st("d1/b"), st("d2/c"), sorted(os.listdir("d1")), same("d1/b", "d2/c"))
os.link("d2/c", "d1/new")
print("link", st("d1/new"), st("d1/b"), same("d1/new", "d1/b", "d2/c"))
os.rename("d1/b", "d2/b2")
print("rename", st("d2/b2"), read("d2/b2"), sorted(os.listdir("d1")), sorted(os.listdir("d2")))
attempt("rename onto another name of itself", os.rename, "d2/b2", "d2/c")
print("both stay", sorted(os.listdir("d2")), st("d2/c"))
with os.scandir("d2") as it:
    print("scandir inodes", sorted((e.name, e.inode() == os.lstat(e.path).st_ino) for e in it))

# x is written and removed before its other name y is ever looked up
with open("x", "a") as f:
    f.write("changed\n")
os.unlink("x")
print("other name after unlink", read("y"), st("y"))

# p is removed without being copied up: q counts one name less
os.unlink("p")
print("lower unlink", st("q"), read("q"))
with open("q", "a") as f:
    f.write("more\n")
print("then written", read("q"), st("q"))

# attributes and truncation show through every name
os.chmod("m", 0o600)
print("chmod", st("n"))
os.truncate("n", 2)
print("truncate", st("m"), read("m"))
with open("m", "w") as f:
    f.write("new text\n")
print("O_TRUNC", read("n"), same("m", "n"))

# a new file renamed over one name: the other keeps the host contents
os.rename("t", "r")
print("replaced", read("r"), st("s"), read("s"), same("r", "s"))
os.unlink("s")
attempt("last name gone", os.lstat, "s")
print("listing", sorted(os.listdir(".")))
