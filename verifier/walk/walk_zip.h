/*
 * walk_zip.h - internal to verifier/walk: the walk's shared state, the
 * place a document sits in, and the zip half of the walk. Nothing outside
 * verifier/walk includes this header; the public contract is walk.h.
 */
#ifndef TTE_WALK_ZIP_H
#define TTE_WALK_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include <zip.h>

#include "walk.h"

/* One walk_path() call: the limits and where documents go. */
struct walk_run {
	struct walk_opts o;
	walk_fn fn;
	void *arg;
};

/* Nonzero when the caller asked the walk to stop (walk_opts.stop). */
int walk_stopped(const struct walk_run *w);

/* An archive entry, for the name-sorted view of one open archive. */
struct walk_zip_entry {
	const char *name;   /* borrowed from libzip, valid while za is open */
	zip_uint64_t index; /* libzip index */
};

/*
 * The folder a document sits in, for walk_sibling_load(). Lives on the
 * stack of the walk while the folder's documents are being visited, so a
 * doc's place is valid exactly as long as the doc.
 */
struct walk_place {
	const struct walk_opts *o;
	/* A filesystem folder (za == NULL): siblings are opened with
	 * openat(dirfd, fs_prefix + name) and shown as disp_prefix + name. */
	int dirfd;               /* an open directory, or AT_FDCWD */
	const char *fs_prefix;   /* "" or "some/dir/" relative to dirfd */
	const char *disp_prefix; /* "dir/" as the user sees it */
	/* An archive folder (za != NULL): siblings are entries named
	 * zprefix[0..zprefix_len) + name, shown as "archive!zprefix name". */
	zip_t *za;
	const struct walk_zip_entry *entries; /* sorted by name, then index */
	size_t n_entries;
	const char *archive; /* display name of the archive */
	const char *zprefix; /* the folder inside the archive */
	size_t zprefix_len;  /* up to and including the last '/', or 0 */
};

/*
 * Walks the zip archive open read-only on fd (size bytes, display name
 * display, sitting in place pl): a document of its own when it is an ASiC
 * container, else each entry, nested archives included. Never closes fd.
 * Every problem becomes a document with error set.
 */
void walk_zip_file(const struct walk_run *w, int fd, uint64_t size,
                   const char *display, const struct walk_place *pl,
                   int is_detached);

/* walk_sibling_load() for a place inside an archive (pl->za != NULL). */
TTE_MUST_USE tte_err walk_zip_sibling(const struct walk_place *pl,
                                      const char *name, uint8_t **data,
                                      size_t *len, struct diag *d);

/*
 * Helpers from walk.c shared with walk_zip.c.
 */

/* Hands the callback a document read whole into data[0..len). */
void walk_emit_doc(const struct walk_run *w, const char *name,
                   const uint8_t *data, size_t len, enum tte_format format,
                   const struct walk_place *pl, int is_detached);

/* Hands the callback a document that could not be read: d says why. */
void walk_emit_error(const struct walk_run *w, const char *name,
                     const struct walk_place *pl, int is_detached,
                     const struct diag *d);

/* Returns a malloc'd a + sep + b, or NULL when out of memory. */
char *walk_join(const char *a, const char *sep, const char *b);

/* strerror(e) in buf, thread-safe; returns buf. */
const char *walk_strerror(int e, char *buf, size_t n);

/* The part of a path or entry name after its last '/' (borrowed). */
const char *walk_base_name(const char *name);

/*
 * Reads the size bytes of the regular file open on fd into a malloc'd
 * buffer (*data, *len); display names it in messages. TTE_E_TOO_BIG when
 * size is over max, TTE_E_IO when reading fails or the file does not hold
 * exactly size bytes (it changed under us).
 */
TTE_MUST_USE tte_err walk_read_fd(int fd, uint64_t size, size_t max,
                                  const char *display, uint8_t **data,
                                  size_t *len, struct diag *d);

#endif
