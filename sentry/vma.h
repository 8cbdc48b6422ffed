/* Mapping records of an address space: shared by sentry/vma.c and sentry/mm.c only. */
#pragma once
#include "sentry/sentry.h"

#define VMA_TASK_SIZE 0x7ffffffff000UL  /* x86-64 with 4-level paging */
#define VMA_MIN_ADDR 0x10000UL          /* vm.mmap_min_addr */
#define VMA_STACK_GAP (129UL << 20)     /* mmap_base below the stack: 128 MiB + guard gap */
#define VMA_MAX_COUNT 65000             /* below vm.max_map_count (65530), leaving the stub room */

struct vma_usage {
	unsigned long mapped, charged, data;
	int count;              /* records touched */
	int splits;             /* records only partly inside */
	bool reserved;          /* the stub region is inside */
};

struct mm_name *mm_name_new(const char *path, unsigned long dev, unsigned long ino);
void mm_name_put(struct mm_name *n);
struct mm_shm *mm_shm_new(unsigned long charge);
void mm_shm_put(struct mm_shm *s);
bool vma_is_data(int prot, unsigned flags);
int vma_index(struct mm *mm, unsigned long addr);
void vma_split(struct mm *mm, int i, unsigned long addr);
int vma_isolate(struct mm *mm, unsigned long start, unsigned long end);
void vma_try_merge(struct mm *mm, int i);
void vma_remove_range(struct mm *mm, unsigned long start, unsigned long end);
void vma_add(struct mm *mm, const struct vma *v);
void vma_set_prot(struct mm *mm, int i, int prot);
void vma_usage(struct mm *mm, unsigned long start, unsigned long end, struct vma_usage *u);
/* Whether a mapping in [start, end) is sealed (VMA_SEALED). */
bool vma_range_sealed(struct mm *mm, unsigned long start, unsigned long end);
long vma_place(struct mm *mm, unsigned long hint, unsigned long len, int flags);
/* The highest free range of len bytes within [low, high), or -ENOMEM. */
long vma_place_in(struct mm *mm, unsigned long len, unsigned long low, unsigned long high);
/* The host grew record i (a grows-down mapping) down to start: its sizes follow. */
void vma_grow_down(struct mm *mm, int i, unsigned long start);
