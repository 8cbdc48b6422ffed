/*
 * ld_exec: builds a fresh guest address space in an empty stub.
 * Opens the program through the VFS, follows "#!" lines (Linux fs/binfmt_script.c semantics),
 * validates the ELF (elf.c), maps its PT_LOAD segments and its interpreter by copying file
 * bytes into anonymous memory, and builds the initial stack (Linux fs/binfmt_elf.c layout).
 */
#include <elf.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "fs/vfs.h"
#include "loader/internal.h"
#include "loader/loader.h"
#include "platform/platform.h"
#include "sentry/ptrace.h"
#include "sentry/sentry.h"

#define LD_HEAD_SIZE 256                 /* BINPRM_BUF_SIZE: where the "#!" line must fit */
#define LD_MAX_DEPTH 5                   /* binfmt rewrites before -ELOOP, as Linux */
#define LD_ET_DYN_BASE 0x555555554000UL  /* ELF_ET_DYN_BASE, before randomization */
/* The stack's first extent below the strings (Linux setup_arg_pages' stack_expand); the host
 * grows it from there as the guest touches below (MAP_GROWSDOWN), within RLIMIT_STACK. */
#define LD_STACK_EXPAND (128UL << 10)
/* What the stack is charged against --memory, about Linux's first stack extent (the
 * arguments and 128 KiB); its growth beyond that is seen by the CLI's resident-memory fence. */
#define LD_STACK_CHARGE (256UL << 10)
#define LD_ARG_MAX (2UL << 20)           /* argv + envp: a quarter of an 8 MiB stack rlimit */
#define LD_ARG_STRLEN (32 * PAGE_SIZE)   /* MAX_ARG_STRLEN, including the NUL */
#define LD_ARGC_MAX 0x7fffffffUL
#define LD_CHUNK (256UL << 10)           /* bounce buffer for file -> guest copies */
#define LD_PLATFORM "x86_64"
#define LD_AUXV_MAX 24                   /* pairs, including AT_NULL */

struct ld_image {
	struct elf_plan plan;
	unsigned long bias;
	unsigned long entry;                 /* biased */
	unsigned long end;                   /* biased end of the highest segment */
	long reserved;                       /* an interpreter's reservation, when it was made
					      * along with the main image's mappings (or -errno) */
};

struct ld_ctx {
	struct task *t;
	struct ld_result *res;
	const char *path;                    /* as given: AT_EXECFN and messages */
	const char *cur;                     /* file being examined (path or an interpreter) */
	char **argv;                         /* current argv; strings borrowed or in owned[] */
	size_t argc;
	bool argv_too_long;                  /* more entries than could ever fit */
	char *const *envp;
	size_t envc;
	char *owned[2 * (LD_MAX_DEPTH + 2)];   /* interpreter names and arguments from "#!" lines */
	int nowned;
	struct file *file;                   /* the main ELF */
	struct file *interp_file;
	struct ld_image main, interp;
	bool have_interp;
	int randomize;                       /* Linux's PF_RANDOMIZE: kernel.randomize_va_space
					      * (2: the break too), 0 without it */
	char *buf;                           /* LD_CHUNK bytes */
};

static void __attribute__((format(printf, 2, 3)))
msg(struct ld_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->res->errmsg, sizeof(c->res->errmsg), fmt, ap);
	va_end(ap);
}

static void
put_filep(struct file **f)
{
	if (*f)
		file_put(*f);
}

static ssize_t
vfs_src_pread(void *ctx, void *buf, size_t n, uint64_t off)
{
	if (off > (uint64_t)INT64_MAX)
		return -EINVAL;
	return file_pread(ctx, buf, n, (off_t)off);
}

/* Execute permission as Linux checks it: root needs any x bit; the mode bits first, the
 * capability only where they refuse (a capability used shows in /proc/PID/stat's flags). */
static bool
may_exec(const struct task *t, const struct stat *st)
{
	if (!(st->st_mode & 0111))
		return false;
	if (st->st_uid == t->euid ? st->st_mode & S_IXUSR :
	    st->st_gid == t->egid ? st->st_mode & S_IXGRP : st->st_mode & S_IXOTH)
		return true;
	return task_capable(t, CAP_DAC_OVERRIDE);
}

/* Opens a program or interpreter: a regular file the task may execute. */
static int
open_exec(struct task *t, const char *path, struct file **out, uint64_t *size, bool *unreadable)
{
	_cleanup_(put_filep) struct file *f = NULL;
	struct stat st;
	int r;

	/* Refuse FIFOs and devices before opening them (an open could block or have effects;
	 * a host regular file may be opened with this lookup already). */
	r = vfs_statat(t, NULL, path, VFS_AT_OPEN_NEXT, &st);
	if (r < 0)
		return r;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	/* execute permission suffices, as for Linux's exec open (an execute-only program runs,
	 * not dumpable) */
	t->exec_open = true;
	r = vfs_openat(t, NULL, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0, &f);
	t->exec_open = false;
	if (r < 0)
		return r;
	if (!file_readable_by(t, f))
		*unreadable = true;
	r = file_stat(f, &st);
	if (r < 0)
		return r;
	if (!S_ISREG(st.st_mode) || !may_exec(t, &st) || file_noexec(f))
		return -EACCES;
	r = landlock_exec(t, f);
	if (r < 0)
		return r;
	if (st.st_size < 0)
		return -EACCES;
	/* Linux do_open_execat: a file open for writing does not run */
	r = exe_deny(f);
	if (r < 0)
		return r;
	exe_allow(f);
	*size = (uint64_t)st.st_size;
	*out = steal_ptr(&f);
	return 0;
}

/* Reads up to n bytes from the start of f; returns the count or -errno. */
static ssize_t
read_head(struct file *f, char *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = file_pread(f, buf + done, n - done, (off_t)done);
		if (r < 0)
			return r;
		if (r == 0 || (size_t)r > n - done)
			break;
		done += (size_t)r;
	}
	return (ssize_t)done;
}

/* ---- "#!" scripts ---- */

static bool
spacetab(char ch)
{
	return ch == ' ' || ch == '\t';
}

static char *
next_non_spacetab(char *first, const char *last)
{
	for (; first < last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

static char *
next_terminator(char *first, const char *last)
{
	for (; first < last; first++)
		if (spacetab(*first) || *first == '\0')
			return first;
	return NULL;
}

/*
 * Parses the "#!" line in buf (LD_HEAD_SIZE bytes, zero-padded) in place, as
 * binfmt_script does: interpreter name, then at most one argument (the rest of the line).
 */
static int
parse_shebang(char *buf, char **name, char **arg)
{
	char *buf_end = buf + LD_HEAD_SIZE - 1, *i_end, *i_name, *i_sep, *i_arg = NULL;

	i_end = memchr(buf, '\n', strnlen(buf, LD_HEAD_SIZE));
	if (!i_end) {
		i_end = next_non_spacetab(buf + 2, buf_end);
		if (!i_end)
			return -ENOEXEC; /* only spaces and tabs */
		if (!next_terminator(i_end, buf_end))
			return -ENOEXEC; /* the interpreter path is truncated */
		i_end = buf_end;
	}
	while (i_end > buf + 2 && spacetab(i_end[-1]))
		i_end--;
	i_name = next_non_spacetab(buf + 2, i_end);
	if (!i_name || i_name == i_end)
		return -ENOEXEC; /* no interpreter name */
	i_sep = next_terminator(i_name, i_end);
	if (i_sep && *i_sep != '\0')
		i_arg = next_non_spacetab(i_sep, i_end);
	*i_end = '\0';
	if (i_sep)
		*i_sep = '\0';
	*name = i_name;
	*arg = i_arg;
	return 0;
}

/* new argv = [interp, (arg), script path, argv[1..]] */
static void
rewrite_argv(struct ld_ctx *c, const char *name, const char *arg)
{
	size_t keep = c->argc > 0 ? c->argc - 1 : 0, n = 0;
	char **v = xcalloc(keep + 4, sizeof(*v));

	c->owned[c->nowned] = xstrdup(name);
	v[n++] = c->owned[c->nowned++];
	if (arg) {
		c->owned[c->nowned] = xstrdup(arg);
		v[n++] = c->owned[c->nowned++];
	}
	v[n++] = (char *)c->cur;
	for (size_t i = 0; i < keep; i++)
		v[n++] = c->argv[i + 1];
	v[n] = NULL;
	free(c->argv);
	c->argv = v;
	c->argc = n;
}

/*
 * Follows "#!" lines from c->path until an ELF file; leaves it open in c->file and its
 * path in c->cur. Errors name the script and the interpreter, like a shell would.
 */
static int
resolve(struct ld_ctx *c, uint64_t *size)
{
	char head[LD_HEAD_SIZE + 1];
	char *name, *arg;
	ssize_t n;
	int r;

	for (int depth = 0;; depth++) {
		r = open_exec(c->t, c->cur, &c->file, size, &c->res->unreadable);
		if (r < 0) {
			if (depth == 0)
				msg(c, "%s: %s", c->path, strerror(-r));
			else
				msg(c, "%s: %s: bad interpreter: %s", c->path, c->cur, strerror(-r));
			return r;
		}
		if (depth > LD_MAX_DEPTH) {
			msg(c, "%s: bad interpreter: too many levels of #! scripts (at most %d)",
			    c->path, LD_MAX_DEPTH);
			return -ELOOP;
		}
		memset(head, 0, sizeof(head));
		n = read_head(c->file, head, LD_HEAD_SIZE);
		if (n < 0) {
			msg(c, "%s: cannot read: %s", c->cur, strerror((int)-n));
			return (int)n;
		}
		if (elf_is_elf(head, (size_t)n))
			return 0;
		if (n < 2 || head[0] != '#' || head[1] != '!') {
			if (c->cur == c->path)
				msg(c, "%s: exec format error: neither an ELF file nor a #! script",
				    c->path);
			else
				msg(c, "%s: exec format error: interpreter %s is neither an ELF file "
				    "nor a #! script", c->path, c->cur);
			return -ENOEXEC;
		}
		if (parse_shebang(head, &name, &arg) < 0) {
			msg(c, "%s: exec format error: bad #! line in %s", c->path, c->cur);
			return -ENOEXEC;
		}
		rewrite_argv(c, name, arg);
		c->cur = c->argv[0];
		file_put(c->file);
		c->file = NULL;
	}
}

/* ---- ELF images ---- */

static int
plan_file(struct ld_ctx *c, struct file *f, uint64_t size, struct elf_plan *plan, char *err,
	  size_t errlen)
{
	struct elf_src src = { .pread = vfs_src_pread, .ctx = f, .size = size };

	return elf_plan_build(&src, plan, err, errlen);
}

static int
open_interp(struct ld_ctx *c)
{
	const char *ip = c->main.plan.interp;
	char head[SELFMAG] = { 0 }, err[160];
	uint64_t size;
	ssize_t n;
	int r;

	/* an empty name is the working directory to Linux's open_exec: not a regular file */
	r = ip[0] ? open_exec(c->t, ip, &c->interp_file, &size, &c->res->unreadable) : -EACCES;
	if (r < 0) {
		msg(c, "%s: interpreter %s: %s", c->path, ip, strerror(-r));
		return r;
	}
	n = read_head(c->interp_file, head, sizeof(head));
	if (n < 0)
		return (int)n;
	if (!elf_is_elf(head, (size_t)n)) {
		msg(c, "%s: interpreter %s: not an ELF file", c->path, ip);
		return -ELIBBAD;
	}
	r = plan_file(c, c->interp_file, size, &c->interp.plan, err, sizeof(err));
	if (r == -ENOEXEC) {
		msg(c, "%s: interpreter %s: exec format error: %s", c->path, ip, err);
		return -ELIBBAD;
	}
	if (r < 0)
		return r;
	c->have_interp = true;
	if (c->interp.plan.interp) {
		msg(c, "%s: interpreter %s: has an interpreter of its own", c->path, ip);
		return -ELIBBAD;
	}
	return 0;
}

/* Copies len file bytes at off into guest memory at dst. */
static int
copy_file(struct ld_ctx *c, struct file *f, unsigned long dst, uint64_t off, uint64_t len)
{
	while (len) {
		size_t n = MIN(len, LD_CHUNK), got = 0;
		int r;

		while (got < n) {
			ssize_t k = file_pread(f, c->buf + got, n - got, (off_t)(off + got));
			if (k < 0)
				return (int)k;
			if (k == 0 || (size_t)k > n - got)
				return -EIO; /* the file shrank under us */
			got += (size_t)k;
		}
		r = copy_to_guest(c->t, dst, c->buf, n);
		if (r < 0)
			return r;
		dst += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* Maps exactly at start (fixed may be MAP_FIXED_NOREPLACE); anything else is -EEXIST. */
static int
map_exact(struct ld_ctx *c, long a, unsigned long start, size_t len)
{
	if (a < 0)
		return (int)a;
	if ((unsigned long)a != start) {
		mm_munmap(c->t, (unsigned long)a, len);
		return -EEXIST;
	}
	return 0;
}

/* Where a segment lands at bias: its pages, the end of its file bytes and of their last
 * page, and the part of that page after the file bytes that must read as zeros (bss). */
struct seg_span {
	unsigned long start, end, fend, fpage_end;
	size_t tail;
};

static struct seg_span
seg_span(const struct elf_seg *s, unsigned long bias)
{
	struct seg_span g = {
		.start = PAGE_DOWN(s->vaddr + bias),
		.end = PAGE_UP(s->vaddr + bias + s->memsz),
		.fend = s->vaddr + bias + s->filesz,
	};

	g.fpage_end = PAGE_UP(g.fend);
	g.tail = s->memsz > s->filesz ? g.fpage_end - g.fend : 0;
	return g;
}

/* A segment of a host file: the file part is mapped for real (page cache shared), the bss
 * beyond it is anonymous, and the rest of the last file page is zeroed as Linux does. */
static int
map_segment_file(struct ld_ctx *c, struct file *f, const struct elf_seg *s, unsigned long bias,
		 int fixed)
{
	struct seg_span g = seg_span(s, bias);
	unsigned long start = g.start, end = g.end, fend = g.fend, fpage_end = g.fpage_end;
	size_t tail = g.tail;
	int prot = s->prot | (tail ? PROT_WRITE : 0);
	long a;

	a = mm_map_file(c->t, start, fpage_end - start, prot, MAP_PRIVATE | fixed, f,
			s->offset - (s->vaddr + bias - start));
	int r = map_exact(c, a, start, fpage_end - start);
	if (r)
		return r;
	if (tail) {
		static const char zeros[PAGE_SIZE];
		r = copy_to_guest(c->t, fend, zeros, tail);
		if (!r && prot != s->prot)
			r = mm_mprotect(c->t, start, fpage_end - start, s->prot);
		if (r)
			return r;
	}
	if (end > fpage_end) {
		a = mm_mmap(c->t, fpage_end, end - fpage_end, s->prot,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
		if (a < 0)
			return (int)a;
	}
	return 0;
}

static int
map_segment(struct ld_ctx *c, struct file *f, const struct elf_seg *s, unsigned long bias,
	    int fixed)
{
	unsigned long start = PAGE_DOWN(s->vaddr + bias);
	unsigned long end = PAGE_UP(s->vaddr + bias + s->memsz);
	unsigned long fend = s->vaddr + bias + s->filesz; /* end of the file bytes */
	long a;
	int r;

	/* a file without a host fd is copied in by mm_map_file, which names the mapping */
	if (s->filesz)
		return map_segment_file(c, f, s, bias, fixed);
	a = mm_mmap(c->t, start, end - start, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | fixed);
	r = map_exact(c, a, start, end - start);
	if (r)
		return r;
	if (s->filesz) {
		r = copy_file(c, f, start, s->offset - (s->vaddr + bias - start), fend - start);
		if (r < 0)
			return r;
	}
	if (s->prot != (PROT_READ | PROT_WRITE))
		return mm_mprotect(c->t, start, end - start, s->prot);
	return 0;
}

/* Chooses the load bias. ET_DYN interpreters go wherever a PROT_NONE reservation lands. */
static int
place_image(struct ld_ctx *c, struct ld_image *img, bool is_interp, int *fixed)
{
	const struct elf_plan *p = &img->plan;
	unsigned long span = p->hi - p->lo, slack = p->align - PAGE_SIZE, base;
	long a;

	*fixed = MAP_FIXED_NOREPLACE;
	if (p->type == ET_EXEC) {
		img->bias = 0;
		return 0;
	}
	if (!is_interp) {
		/* Linux: ELF_ET_DYN_BASE plus arch_mmap_rnd's 28 bits of pages, randomizing */
		unsigned long rnd = 0;
		if (c->randomize && getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
			rnd = 0;
		base = (LD_ET_DYN_BASE + (rnd & ((1UL << 28) - 1)) * PAGE_SIZE) & ~(p->align - 1);
		img->bias = base - p->lo;
		return 0;
	}
	a = img->reserved ? img->reserved
			  : mm_mmap(c->t, 0, span + slack, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (a < 0)
		return (int)a;
	base = ((unsigned long)a + p->align - 1) & ~(p->align - 1);
	if (base > (unsigned long)a)
		mm_munmap(c->t, (unsigned long)a, base - (unsigned long)a);
	if ((unsigned long)a + span + slack > base + span)
		mm_munmap(c->t, base + span, (unsigned long)a + span + slack - (base + span));
	if (mm_range_reserved(base, span))
		return -ENOMEM;
	img->bias = base - p->lo;
	*fixed = MAP_FIXED;
	return 0;
}

/* Can the segments be mapped in one batch (load_batch)? Each has file bytes of a host file
 * and their pages are ascending and disjoint, so the order of the steps does not matter. */
static bool
batchable(struct file *f, const struct ld_image *img)
{
	const struct elf_plan *p = &img->plan;
	unsigned long prev_end = 0;

	if (p->nsegs < 1 || p->nsegs > PLAT_BATCH_MAX / 2 - 1 || file_mmap_fd(f, false) < 0)
		return false;
	for (int i = 0; i < p->nsegs; i++) {
		const struct elf_seg *s = &p->segs[i];
		unsigned long start = PAGE_DOWN(s->vaddr + img->bias);
		unsigned long end = PAGE_UP(s->vaddr + img->bias + s->memsz);

		if (!s->filesz || start < prev_end || end <= start)
			return false;
		prev_end = end;
	}
	return true;
}

/* What map_segment_file does for each segment, with the mappings of all of them made
 * first in one batch (mm_map_batch), then each checked in order and its last file page's
 * tail zeroed: the same results and errors. */
static int
load_batch(struct ld_ctx *c, struct file *f, struct ld_image *img, int fixed, const char *who,
	   struct mm_map_req *extra)
{
	const struct elf_plan *p = &img->plan;
	struct mm_map_req req[PLAT_BATCH_MAX];
	int nreq = 0, k, q = 0, r = 0;

	for (k = 0; k < p->nsegs; k++) {
		const struct elf_seg *s = &p->segs[k];
		struct seg_span g = seg_span(s, img->bias);
		unsigned long start = g.start, end = g.end, fpage_end = g.fpage_end;
		size_t tail = g.tail;

		if (end > ELF_TASK_SIZE || mm_range_reserved(start, end - start))
			break; /* reported after the segments before it are mapped */
		req[nreq++] = (struct mm_map_req){
			.addr = start, .len = fpage_end - start,
			.prot = s->prot | (tail ? PROT_WRITE : 0), .flags = MAP_PRIVATE | fixed,
			.f = f, .off = s->offset - (s->vaddr + img->bias - start),
		};
		if (end > fpage_end)
			req[nreq++] = (struct mm_map_req){
				.addr = fpage_end, .len = end - fpage_end, .prot = s->prot,
				.flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			};
	}
	/* the next mapping (the stack) goes along once every segment is in */
	int x = extra && k == p->nsegs ? nreq++ : -1;
	if (x >= 0)
		req[x] = *extra;
	if (nreq)
		mm_map_batch(c->t, req, nreq);
	if (x >= 0)
		extra->result = req[x].result;
	for (int i = 0; i < k; i++) {
		const struct elf_seg *s = &p->segs[i];
		struct seg_span g = seg_span(s, img->bias);
		unsigned long start = g.start, end = g.end, fend = g.fend, fpage_end = g.fpage_end;
		size_t tail = g.tail;

		r = map_exact(c, req[q].result, start, fpage_end - start);
		q++;
		if (!r && tail) {
			static const char zeros[PAGE_SIZE];
			r = copy_to_guest(c->t, fend, zeros, tail);
			if (!r && !(s->prot & PROT_WRITE))
				r = mm_mprotect(c->t, start, fpage_end - start, s->prot);
		}
		if (!r && end > fpage_end) {
			if (req[q].result < 0)
				r = (int)req[q].result;
			q++;
		}
		if (r) {
			msg(c, "%s: cannot map %ssegment %d at 0x%lx: %s", c->path, who,
			    s->phdr_index, start, strerror(-r));
			return r;
		}
		img->end = MAX(img->end, s->vaddr + img->bias + s->memsz);
	}
	if (k < p->nsegs) {
		msg(c, "%s: exec format error: %ssegment %d overlaps memory reserved by the "
		    "sandbox", c->path, who, p->segs[k].phdr_index);
		return -ENOEXEC;
	}
	return 0;
}

/* extra: a mapping to make after the image's if that can be done together (its result
 * then set), else left alone. */
static int
load_image(struct ld_ctx *c, struct file *f, struct ld_image *img, bool is_interp,
	   struct mm_map_req *extra)
{
	const struct elf_plan *p = &img->plan;
	const char *who = is_interp ? "interpreter " : "";
	int fixed, r;

	r = place_image(c, img, is_interp, &fixed);
	if (r < 0) {
		msg(c, "%s: cannot reserve memory for the %sprogram: %s", c->path, who,
		    strerror(-r));
		return r;
	}
	if (batchable(f, img)) {
		r = load_batch(c, f, img, fixed, who, extra);
		if (r < 0)
			return r;
		img->entry = p->entry + img->bias;
		return 0;
	}
	for (int i = 0; i < p->nsegs; i++) {
		const struct elf_seg *s = &p->segs[i];
		unsigned long start = PAGE_DOWN(s->vaddr + img->bias);
		unsigned long end = PAGE_UP(s->vaddr + img->bias + s->memsz);

		if (end > ELF_TASK_SIZE || mm_range_reserved(start, end - start)) {
			msg(c, "%s: exec format error: %ssegment %d overlaps memory reserved by the "
			    "sandbox", c->path, who, s->phdr_index);
			return -ENOEXEC;
		}
		/* as Linux: the first mapping must not replace anything, later ones replace
		 * what an earlier segment put in their pages */
		r = map_segment(c, f, s, img->bias, i == 0 ? fixed : MAP_FIXED);
		if (r < 0) {
			msg(c, "%s: cannot map %ssegment %d at 0x%lx: %s", c->path, who,
			    s->phdr_index, start, strerror(-r));
			return r;
		}
		img->end = MAX(img->end, s->vaddr + img->bias + s->memsz);
	}
	img->entry = p->entry + img->bias;
	return 0;
}

/* ---- the initial stack ---- */

static int
count_strings(char *const *v, size_t *count, size_t *bytes)
{
	size_t n = 0;

	for (; v && v[n]; n++) {
		size_t len = strnlen(v[n], LD_ARG_STRLEN);
		if (len >= LD_ARG_STRLEN || n >= LD_ARGC_MAX)
			return -E2BIG;
		*bytes += len + 1 + sizeof(void *);
		if (*bytes > LD_ARG_MAX)
			return -E2BIG;
	}
	*count = n;
	return 0;
}

/* Linux's accounting: strings, execfn, the top word, and one pointer per string. */
static int
check_arg_size(struct ld_ctx *c)
{
	size_t bytes = sizeof(void *) + strnlen(c->path, PATH_MAX) + 1, n;
	int r;

	r = c->argv_too_long ? -E2BIG : count_strings(c->argv, &n, &bytes);
	if (r == 0)
		r = count_strings(c->envp, &c->envc, &bytes);
	if (r < 0 || bytes > LD_ARG_MAX) {
		msg(c, "%s: argument list too long", c->path);
		return -E2BIG;
	}
	return 0;
}

struct stack_layout {
	unsigned long top, sp;
	unsigned long execfn, env_start, arg_start, platform, random;
	char *buf;                           /* mirror of [sp, top) */
};

static void
put_str(struct stack_layout *l, unsigned long at, const char *s)
{
	memcpy(l->buf + (at - l->sp), s, strlen(s) + 1);
}

static void
put_word(struct stack_layout *l, unsigned long at, unsigned long v)
{
	memcpy(l->buf + (at - l->sp), &v, sizeof(v));
}

static int
fill_auxv(struct ld_ctx *c, const struct stack_layout *l, unsigned long *av)
{
	const struct plat_info *pi = plat_info();
	const struct ld_image *m = &c->main;
	struct task *t = c->t;
	int n = 0;

#define AUX(k, v) (av[n++] = (k), av[n++] = (unsigned long)(v))
	if (pi && pi->vdso_base)
		AUX(AT_SYSINFO_EHDR, pi->vdso_base);
	AUX(AT_MINSIGSTKSZ, pi ? pi->minsigstksz : 0);
	AUX(AT_HWCAP, pi ? pi->hwcap : 0);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, m->plan.phdr_vaddr + m->bias);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, m->plan.phnum);
	AUX(AT_BASE, c->have_interp ? c->interp.bias : 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, m->entry);
	AUX(AT_UID, t->uid);
	AUX(AT_EUID, c->res->euid);
	AUX(AT_GID, t->gid);
	AUX(AT_EGID, c->res->egid);
	AUX(AT_SECURE, c->res->secure);
	AUX(AT_RANDOM, l->random);
	AUX(AT_HWCAP2, pi ? pi->hwcap2 : 0);
	AUX(AT_EXECFN, l->execfn);
	AUX(AT_PLATFORM, l->platform);
	if (pi && pi->rseq_feature_size) { /* as the host's kernel (Linux 6.3) gives them */
		AUX(AT_RSEQ_FEATURE_SIZE, pi->rseq_feature_size);
		AUX(AT_RSEQ_ALIGN, pi->rseq_align);
	}
	AUX(AT_NULL, 0);
#undef AUX
	return n / 2;
}

static unsigned long
strings_size(char *const *v, size_t n)
{
	unsigned long s = 0;

	for (size_t i = 0; i < n; i++)
		s += strlen(v[i]) + 1;
	return s;
}

/* The stack's first mapping, as Linux's setup_arg_pages leaves it: the strings' pages and
 * 128 KiB below them, no more than RLIMIT_STACK allows, and in any case room for the
 * vectors (Linux's create_elf_tables would grow it for them). */
static size_t
stack_len(struct ld_ctx *c)
{
	unsigned long strings = sizeof(void *) + strlen(c->path) + 1 +
				strings_size(c->envp, c->envc) + strings_size(c->argv, c->argc);
	unsigned long vectors = 16 + sizeof(LD_PLATFORM) + 16 + 16 +
				(2 * LD_AUXV_MAX + c->argc + c->envc + 3) * sizeof(long);
	unsigned long rlim = c->t->leader->rlim[RLIMIT_STACK].rlim_cur & ~(PAGE_SIZE - 1);
	unsigned long len = MIN(rlim, PAGE_UP(strings) + LD_STACK_EXPAND);

	return MAX(len, PAGE_UP(strings) + PAGE_UP(vectors));
}

/* Lays out strings top-down (execfn, env, args, platform, random), then the vectors at sp. */
static int
layout_stack(struct ld_ctx *c, struct stack_layout *l)
{
	unsigned long av[2 * LD_AUXV_MAX], p = l->top - sizeof(void *), at;
	unsigned char rnd[16];
	size_t items;
	int npairs;

	p -= strlen(c->path) + 1;
	l->execfn = p;
	p -= strings_size(c->envp, c->envc);
	l->env_start = p;
	p -= strings_size(c->argv, c->argc);
	l->arg_start = p;
	p &= ~15UL;
	p -= sizeof(LD_PLATFORM);
	l->platform = p;
	p -= sizeof(rnd);
	l->random = p;
	npairs = fill_auxv(c, l, av); /* addresses above are final; sp is not needed */
	free(c->t->mm->auxv); /* kept for /proc/[pid]/auxv */
	c->t->mm->auxv_len = npairs * 2 * sizeof(long);
	c->t->mm->auxv = xmalloc(c->t->mm->auxv_len);
	memcpy(c->t->mm->auxv, av, c->t->mm->auxv_len);
	items = (c->argc + 1) + (c->envc + 1) + 1;
	l->sp = (p - npairs * 2 * sizeof(long) - items * sizeof(long)) & ~15UL;
	l->buf = xcalloc(1, l->top - l->sp);

	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return -EAGAIN;
	memcpy(l->buf + (l->random - l->sp), rnd, sizeof(rnd));
	put_str(l, l->platform, LD_PLATFORM);
	put_str(l, l->execfn, c->path);
	at = l->sp;
	put_word(l, at, c->argc);
	at += sizeof(long);
	for (size_t i = 0, s = l->arg_start; i < c->argc; s += strlen(c->argv[i]) + 1, i++) {
		put_str(l, s, c->argv[i]);
		put_word(l, at, s);
		at += sizeof(long);
	}
	at += sizeof(long); /* NULL */
	for (size_t i = 0, s = l->env_start; i < c->envc; s += strlen(c->envp[i]) + 1, i++) {
		put_str(l, s, c->envp[i]);
		put_word(l, at, s);
		at += sizeof(long);
	}
	at += sizeof(long); /* NULL */
	memcpy(l->buf + (at - l->sp), av, npairs * 2 * sizeof(long));
	return 0;
}

/* stack: its mapping, made along with the last image's if its result is set. */
static int
build_stack(struct ld_ctx *c, const struct mm_map_req *stack, unsigned long *rsp)
{
	struct stack_layout l = { 0 };
	struct mm *mm = c->t->mm;
	long a = stack->result;
	int r;

	if (!a)
		a = mm_map_stack(c->t, stack->len, stack->charge, stack->prot);
	if (a < 0) {
		msg(c, "%s: cannot map the stack: %s", c->path, strerror((int)-a));
		return (int)a;
	}
	l.top = (unsigned long)a + stack->len;
	r = layout_stack(c, &l);
	for (unsigned long off = 0; r == 0 && off < l.top - l.sp; off += LD_CHUNK)
		r = copy_to_guest(c->t, l.sp + off, l.buf + off, MIN(LD_CHUNK, l.top - l.sp - off));
	free(l.buf);
	if (r < 0) {
		msg(c, "%s: cannot build the initial stack: %s", c->path, strerror(-r));
		return r;
	}
	mm->stack_top = l.top;
	mm->start_stack = l.sp;
	mm->arg_start = l.arg_start;
	mm->arg_end = l.env_start;
	mm->env_start = l.env_start;
	mm->env_end = l.execfn;
	*rsp = l.sp;
	return 0;
}

/* ---- putting it together ---- */

static int
init_regs(struct ld_ctx *c, unsigned long rsp)
{
	struct user_regs_struct *r = &c->res->regs;
	struct user_regs_struct cur;
	int err;

	err = plat_get_regs(c->t->ctx, &cur);
	if (err < 0) {
		msg(c, "%s: cannot read the stub's registers: %s", c->path, strerror(-err));
		return err;
	}
	memset(r, 0, sizeof(*r));
	r->cs = cur.cs;
	r->ss = cur.ss;
	r->ds = cur.ds;
	r->es = cur.es;
	r->fs = cur.fs;
	r->gs = cur.gs;
	r->eflags = cur.eflags;
	r->orig_rax = cur.orig_rax;
	r->rip = c->have_interp ? c->interp.entry : c->main.entry;
	r->rsp = rsp;
	return 0;
}

static int
plan_main(struct ld_ctx *c, uint64_t size)
{
	char err[160];
	int r;

	r = plan_file(c, c->file, size, &c->main.plan, err, sizeof(err));
	if (r == 0 && c->main.plan.doomed)
		log_debug("%s: Linux would run into SIGSEGV: %s", c->path, err);
	if (r == -ENOEXEC) {
		if (c->cur == c->path)
			msg(c, "%s: exec format error: %s", c->path, err);
		else
			msg(c, "%s: interpreter %s: exec format error: %s", c->path, c->cur, err);
	}
	return r;
}

static void
set_exe_path(struct ld_ctx *c)
{
	struct mm *mm = c->t->mm;

	mm_set_exe(mm, c->file, c->cur);
	if (!mm->exe_file && exe_deny(c->file) == 0)
		mm->exe_file = c->file;
}

/* Linux's start_code, end_code, start_data and end_data of the main image: executable
 * segments from their lowest address to the highest end of their file data; data from the
 * highest segment start to the highest end of file data. */
static void
image_extent(struct mm *mm, const struct ld_image *img)
{
	unsigned long sc = ~0UL, ec = 0, sd = 0, ed = 0;

	for (int i = 0; i < img->plan.nsegs; i++) {
		const struct elf_seg *s = &img->plan.segs[i];
		bool x = s->prot & PROT_EXEC;

		if (x && s->vaddr < sc)
			sc = s->vaddr;
		sd = MAX(sd, s->vaddr);
		if (x)
			ec = MAX(ec, s->vaddr + s->filesz);
		ed = MAX(ed, s->vaddr + s->filesz);
	}
	mm->start_code = sc + img->bias;
	mm->end_code = ec + img->bias;
	mm->start_data = sd + img->bias;
	mm->end_data = ed + img->bias;
}

/* The stub's own layout fields for mm (ld_host_brk): the break is what matters; the others
 * only show in the host's view of the stub, and Linux wants them ordered and inside the
 * address space (the stack's are not known when the interpreter's batch may carry it). */
static void
host_map(const struct mm *mm, const struct ld_result *res, struct prctl_mm_map *m)
{
	unsigned long lo = res->code_start, b = mm->brk_start;

	*m = (struct prctl_mm_map){
		.start_code = lo, .end_code = MAX(res->code_end, lo + PAGE_SIZE),
		.start_data = b, .end_data = b, .start_brk = b, .brk = b,
		.start_stack = b, .arg_start = b, .arg_end = b, .env_start = b, .env_end = b,
		.exe_fd = (uint32_t)-1,
	};
}

/*
 * The new image's effective ids (Linux bprm_fill_uid and the id part of
 * cap_bprm_creds_from_file): a set-user-ID program runs as its owner, a set-group-ID one
 * (with group execute) as its group, unless its mount is nosuid, the caller set
 * no_new_privs, or, without CAP_SETUID, the exec is unsafe: an fs context shared with
 * another process, or a tracer without CAP_SYS_PTRACE. The bits of a "#!" script do not
 * count: c->file is the interpreter by now.
 */
static void
exec_ids(struct ld_ctx *c)
{
	struct task *t = c->t;
	struct ld_result *res = c->res;
	struct stat st;

	res->euid = t->euid;
	res->egid = t->egid;
	if (file_stat(c->file, &st) == 0 && !file_nosuid(c->file) && !t->no_new_privs) {
		bool shared = t->fs && vfs_ctx_users(t->fs) > t->leader->live_threads;
		bool traced = t->pt && t->pt->tracer && !task_capable(t->pt->tracer, CAP_SYS_PTRACE);
		if (!((shared || traced) && !task_capable(t, CAP_SETUID))) {
			if (st.st_mode & S_ISUID)
				res->euid = st.st_uid;
			if ((st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
				res->egid = st.st_gid;
		}
	}
	res->secure = res->euid != t->uid || res->egid != t->gid;
}

static int
ld_run(struct ld_ctx *c)
{
	struct mm *mm = c->t->mm;
	unsigned long rsp = 0;
	uint64_t size = 0;
	int r;

	/* Linux load_elf_binary: no randomization with personality ADDR_NO_RANDOMIZE (gdb
	 * sets it for its inferiors) or kernel.randomize_va_space 0 */
	c->randomize = c->t->personality & ADDR_NO_RANDOMIZE ? 0 : randomize_va_space();
	if (!c->randomize)
		mm_fixed_layout(mm, c->t->leader->rlim[RLIMIT_STACK].rlim_cur);
	else
		mm_random_layout(mm, c->t->leader->rlim[RLIMIT_STACK].rlim_cur);
	r = resolve(c, &size);
	if (r < 0)
		return r;
	exec_ids(c);
	r = plan_main(c, size);
	if (r < 0)
		return r;
	if (c->main.plan.interp) {
		r = open_interp(c);
		if (r < 0)
			return r;
	}
	r = check_arg_size(c);
	if (r < 0)
		return r;
	c->buf = xmalloc(LD_CHUNK);
	struct mm_map_req stack = {
		.stack = true, .len = stack_len(c), .charge = LD_STACK_CHARGE,
		.prot = PROT_READ | PROT_WRITE | (c->main.plan.exec_stack ? PROT_EXEC : 0),
	};
	/* an ET_DYN interpreter's reservation (place_image) goes along with the main image */
	const struct elf_plan *ip = &c->interp.plan;
	struct mm_map_req reserve = {
		.len = ip->hi - ip->lo + ip->align - PAGE_SIZE, .prot = PROT_NONE,
		.flags = MAP_PRIVATE | MAP_ANONYMOUS,
	};
	bool reserving = c->have_interp && ip->type != ET_EXEC;
	r = load_image(c, c->file, &c->main, false,
		       reserving ? &reserve : c->have_interp ? NULL : &stack);
	c->interp.reserved = reserving ? reserve.result : 0;
	if (r == 0) {
		/* Like Linux's brk randomization (up to 32 MiB above the image), and then never
		 * right after it, so the heap is a mapping of its own; without it, right after
		 * the image (its own mapping still: vma_try_merge keeps them apart). */
		unsigned short rnd = 0;
		if (c->randomize > 1 && getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
			rnd = 0;
		if (c->main.plan.doomed) /* nothing mapped: the break goes where a program's would */
			c->main.end = c->main.plan.hi;
		mm->brk_start = PAGE_UP(c->main.end) +
				(c->randomize > 1 ? (1 + rnd % 8191) * PAGE_SIZE : 0);
		mm->brk = mm->brk_mapped = mm->brk_start;
		image_extent(mm, &c->main);
		c->res->code_start = c->main.plan.lo + c->main.bias;
		c->res->code_end = c->main.end;
		/* the stub's break (ld_host_brk) may go along with the interpreter's batch */
		struct prctl_mm_map m;
		host_map(mm, c->res, &m);
		plat_set_mm_map_later(c->t->ctx, &m);
	}
	if (r == 0 && c->have_interp)
		r = load_image(c, c->interp_file, &c->interp, true, &stack);
	if (r == 0)
		r = build_stack(c, &stack, &rsp);
	if (r == 0)
		r = init_regs(c, rsp);
	if (r < 0)
		return r;
	set_exe_path(c);
	return 0;
}

void
ld_host_brk(struct task *t, const struct ld_result *res, struct plat_call *more, int n)
{
	struct mm *mm = t->mm;
	struct prctl_mm_map m;

	host_map(mm, res, &m);
	int r = plat_set_mm_map(t->ctx, &m, more, n);

	mm->host_brk = r == 0;
	if (r)
		log_debug("exec: the stub's break stays the sentry's to map (%d)", r);
}

static void
init_argv(struct ld_ctx *c, char *const argv[])
{
	size_t n = 0;

	while (argv && argv[n] && n <= LD_ARG_MAX / sizeof(void *))
		n++;
	c->argv_too_long = argv && argv[n];
	/* Linux (5.18+) gives a program started with argc == 0 an empty argv[0]. */
	c->argv = xcalloc(MAX(n, 1) + 1, sizeof(*c->argv));
	for (size_t i = 0; i < n; i++)
		c->argv[i] = argv[i];
	if (n == 0)
		c->argv[n++] = (char *)"";
	c->argc = n;
}

int
ld_exec(struct task *t, const char *path, char *const argv[], char *const envp[],
	struct ld_result *res)
{
	struct ld_ctx c = { .t = t, .res = res, .path = path, .cur = path, .envp = envp };
	int r;

	memset(res, 0, sizeof(*res));
	if (!path || !*path) {
		snprintf(res->errmsg, sizeof(res->errmsg), "%s", "(empty path): No such file");
		return -ENOENT;
	}
	init_argv(&c, argv);
	r = ld_run(&c);
	if (r < 0 && !res->errmsg[0])
		msg(&c, "%s: %s", path, strerror(-r));
	elf_plan_free(&c.main.plan);
	elf_plan_free(&c.interp.plan);
	put_filep(&c.file);
	put_filep(&c.interp_file);
	for (int i = 0; i < c.nowned; i++)
		free(c.owned[i]);
	free(c.argv);
	free(c.buf);
	return r;
}
