/* The mapping records (sentry/vma.c): splitting, merging, placement and the --memory charge. */
#include <sys/mman.h>

#include "sentry/sentry.h"
#include "sentry/vma.h"
#include "tests/unit/tap.h"

#define P PAGE_SIZE

static struct vma
anon(unsigned long start, unsigned long pages, int prot)
{
	struct vma v = {
		.start = start,
		.end = start + pages * P,
		.prot = prot,
		.flags = VMA_MAYWRITE | ((prot & PROT_WRITE) ? VMA_ACCOUNTED : 0),
	};
	return v;
}

/* Records outside the stub region (mm_new adds it, and the vDSO when there is one). */
static int
count(struct mm *mm)
{
	int n = 0;

	for (int i = 0; i < mm->nvmas; i++)
		n += !(mm->vmas[i].flags & VMA_RESERVED) && !mm->vmas[i].name;
	return n;
}

int
main(void)
{
	const unsigned long A = 0x10000000UL;

	printf("1..22\n");
	limits_init(64 * P, 0);
	struct mm *mm = mm_new();
	ok(mm->nvmas >= 1 && (mm->vmas[0].flags & VMA_RESERVED), "a new mm holds the stub region");
	ok(mm->mmap_base < mm->stack_top && mm->stack_top <= VMA_TASK_SIZE, "mmap_base below the stack");

	struct vma v = anon(A, 2, PROT_READ | PROT_WRITE);
	vma_add(mm, &v);
	v = anon(A + 2 * P, 2, PROT_READ | PROT_WRITE);
	vma_add(mm, &v);
	ok(count(mm) == 1 && mm_find_vma(mm, A)->end == A + 4 * P, "adjacent equal mappings merge");
	ok(mm->total_vm == 4 * P && mm->committed == 4 * P && mm->data_vm == 4 * P, "sizes counted");
	ok(limit_report->mem_charged == 4 * P, "charged globally");

	vma_remove_range(mm, A + P, A + 2 * P);
	ok(count(mm) == 2 && !mm_find_vma(mm, A + P), "a hole splits the mapping");
	ok(mm->total_vm == 3 * P && limit_report->mem_charged == 3 * P, "the hole is uncharged");

	int i = vma_isolate(mm, A + 2 * P, A + 3 * P);
	vma_set_prot(mm, i, PROT_READ);
	ok(count(mm) == 3 && mm->data_vm == 2 * P, "mprotect splits; read-only is not data");
	ok(mm->committed == 3 * P, "read-only again stays charged (as Linux)");
	i = vma_isolate(mm, A + 2 * P, A + 3 * P);
	vma_set_prot(mm, i, PROT_READ | PROT_WRITE);
	vma_try_merge(mm, i);
	vma_try_merge(mm, i - 1);
	ok(count(mm) == 2, "protection back: merged again");

	long a = vma_place(mm, 0, 4 * P, 0);
	ok(a == (long)(mm->mmap_base - 4 * P), "top-down from mmap_base");
	v = anon(a, 4, PROT_NONE);
	vma_add(mm, &v);
	long b = vma_place(mm, 0, P, 0);
	ok(b == a - (long)P, "the next one just below");
	ok(vma_place(mm, A, P, 0) != (long)A, "a taken hint is not used");
	ok(vma_place(mm, A + P, P, 0) == (long)(A + P), "a free hint is used");
	ok(vma_place(mm, 0, P, MAP_32BIT) < 0x80000000L, "MAP_32BIT stays below 2 GiB");
	v = anon(A + 16 * P, 1, PROT_READ | PROT_WRITE);
	v.flags |= VMA_GROWSDOWN;
	vma_add(mm, &v);
	ok(vma_place(mm, A + 15 * P, P, 0) != (long)(A + 15 * P), "the gap below MAP_GROWSDOWN is kept");
	ok(vma_place(mm, 0, VMA_TASK_SIZE, 0) == -ENOMEM, "too big: ENOMEM");

	/* fork charges again; DONTFORK mappings are not copied */
	unsigned long before = limit_report->mem_charged;
	i = vma_isolate(mm, A, A + P);
	mm->vmas[i].flags |= VMA_DONTCOPY;
	struct mm *child = NULL;
	ok(mm_fork(mm, &child) == 0 && !mm_find_vma(child, A) && mm_find_vma(child, A + 2 * P),
	   "fork copies all but DONTFORK");
	ok(limit_report->mem_charged == before + child->committed && child->committed == before - P,
	   "the child is charged again");
	ok(!mem_fits(limit_report->mem_limit), "past --memory: does not fit");
	mm_put(child);
	ok(limit_report->mem_charged == before, "exit gives the child's charge back");
	mm_put(mm);
	ok(limit_report->mem_charged == 0, "and the parent's");
	return nfail ? 1 : 0;
}
