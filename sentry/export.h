/*
 * --changes FILE and --export DIR (sentry/export.c): after the run the sentry streams the
 * overlay's changes to the CLI over a socket pair made before the sentry started; the CLI,
 * which treats the stream as untrusted, writes the JSON document and the files beneath DIR.
 *
 * Stream: records, each a struct export_rec, then path_len bytes of absolute guest path,
 * target_len bytes of symlink target, link_len bytes of the first path of a hard-linked
 * file; then, when data is 1 (regular files, only when exporting files), the contents as
 * segments: a struct export_seg and len bytes each, at increasing offsets within size, at
 * most EXPORT_SEG_MAX bytes each, ended by a segment of len 0; what no segment covers is
 * a hole (zeros), so a sparse file costs neither time nor disk. The last record has kind
 * EXPORT_END: size = the number of changes sent, skipped = changes left out (paths too
 * long). A stream without it is incomplete (the sentry died).
 */
#pragma once
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#define EXPORT_MAGIC 0x31505845u /* "EXP1" little-endian */

enum export_kind { EXPORT_CREATED = 1, EXPORT_MODIFIED, EXPORT_DELETED, EXPORT_END };

struct export_rec {
	uint32_t magic;
	uint8_t kind;
	uint8_t opaque;
	uint16_t pad;
	uint32_t mode;
	uint32_t path_len;
	uint32_t target_len;
	uint32_t link_len;
	uint64_t size;
	uint32_t data;      /* 1: segments of contents follow */
	uint32_t pad2;
	uint64_t skipped;   /* EXPORT_END only */
	int64_t mtime_sec;
	int64_t mtime_nsec;
};

#define EXPORT_SEG_MAX 65536

struct export_seg {
	uint64_t off;
	uint64_t len;       /* 0: the end of this file's contents */
};

/* The CLI sends this to the sentry to end the run early (--timeout) and still get the
 * changes: the sentry kills every guest process and goes on to the export. */
#define EXPORT_STOP_SIGNAL SIGRTMAX /* (not one a caller sends: SIGPWR is relayed) */

/* Sentry side: streams the changes to fd; with data, the contents of regular files too.
 * The caller has killed every guest process first, so nothing changes meanwhile.
 * 0 / -errno (the CLI then sees an incomplete stream). */
int export_send(int fd, bool data);

/* CLI side: reads the stream from fd until its end, writing the JSON document to
 * changes_fd (if >= 0; then closed) and the files beneath export_dir (if not NULL; checked
 * by export_check_dir before the run). wait_hook(interrupted) is called after every read
 * (false) and when a read was interrupted by a signal (true). Returns the number of
 * records that could not be exported (each has an "error" in the document), or -errno when
 * the document could not be written (one line on stderr says why). */
int export_receive(int fd, int changes_fd, const char *export_dir, void (*wait_hook)(bool));
/* Before the run: DIR does not exist (it is created) or is an empty directory; a usage
 * error (exit 123) otherwise. */
void export_check_dir(const char *dir);
