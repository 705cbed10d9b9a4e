/*
 * walk.h - turns the paths given on the command line into documents.
 *
 * A path is a file, a directory (walked recursively in byte order of
 * names, symlinks followed with loop detection by device and inode) or a
 * zip archive (read in place with libzip, never extracted to disk; nested
 * archives followed up to a bounded depth). Each document reaches the
 * callback once, whole in memory, named as DESIGN.md says:
 * "dir/a.zip!sub/b.zip!x.p7s".
 *
 * A zip whose first entry is "mimetype" naming an ASiC container
 * (application/vnd.etsi.asic-*) is a document, not an archive to descend.
 *
 * Entries that cannot be read still reach the callback, with data NULL and
 * error set, so that every input gets its own result and the walk goes on.
 *
 * Detached signatures: a file "x.p7s" pairs with its content "x" in the
 * same folder (directory or archive folder). The content file is reported
 * with is_detached_content set, and the signature's verifier fetches it
 * with walk_sibling_load(). Content that is itself a zip ("x.zip" next to
 * "x.zip.p7s") is what was signed, so it is one document (format ZIP), not
 * descended. A file named on the command line is never marked: the user
 * asked for it by name.
 *
 * Inputs are opened read-only (O_RDONLY, O_NONBLOCK so FIFOs never block;
 * anything but a regular file is refused). Nothing is ever written.
 */
#ifndef TTE_WALK_H
#define TTE_WALK_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "../diag.h"
#include "sniff.h"

/* Limits; each is an option with a safe default (walk_opts_default). */
#define WALK_MAX_ZIP_DEPTH 4                /* a.zip!b.zip!c.zip!d.zip!x */
#define WALK_MAX_DOC_SIZE (512UL << 20)     /* one document in memory */
#define WALK_MAX_ZIP_RATIO 200              /* uncompressed / compressed */
#define WALK_MAX_ZIP_TOTAL (4UL << 30)      /* all entries of one archive */
#define WALK_MAX_DIR_DEPTH 64               /* nested directories */

struct walk_opts {
	/* When set and *stop becomes nonzero (a signal handler's flag),
	 * the walk visits nothing more and returns. */
	const volatile sig_atomic_t *stop;
	int max_zip_depth;
	size_t max_doc_size;
	unsigned max_zip_ratio;
	size_t max_zip_total;
	int max_dir_depth;
};

struct walk_place; /* opaque: the folder or archive a document sits in */

struct walk_doc {
	const char *name;        /* display name, borrowed for the callback */
	const uint8_t *data;     /* whole content, borrowed; NULL on error */
	size_t len;
	enum tte_format format;  /* sniffed from content (and name) */
	int is_detached_content; /* "x" next to an "x.p7s" */
	tte_err error;           /* why data is NULL, else TTE_OK */
	const char *error_msg;   /* plain words for error, else NULL */
	const struct walk_place *place; /* for walk_sibling_load */
};

/* Called once per document; doc and everything it points to are borrowed
 * until the callback returns. */
typedef void (*walk_fn)(const struct walk_doc *doc, void *arg);

/* Fills o with the default limits above. */
void walk_opts_default(struct walk_opts *o);

/*
 * Walks path and calls fn for each document found. Returns TTE_OK when
 * the walk could start (per-entry problems go to the callback as docs with
 * error set); TTE_E_IO with d filled when path itself cannot be opened or
 * is neither a directory nor a regular file. o may be NULL: the defaults.
 */
TTE_MUST_USE tte_err walk_path(const char *path, const struct walk_opts *o,
			       walk_fn fn, void *arg, struct diag *d);

/*
 * Loads the file called name (a plain name, no '/') from the folder or
 * archive folder that doc sits in. On success *data is a malloc'd copy the
 * caller frees. TTE_E_IO with d filled when there is no such entry or it
 * cannot be read; TTE_E_TOO_BIG when it is over max_doc_size. Inside an
 * archive, an entry also gets the refusals a walked entry gets:
 * TTE_E_UNSUPPORTED (encrypted), TTE_E_LIMIT (ratio), TTE_E_ZIP (corrupt).
 */
TTE_MUST_USE tte_err walk_sibling_load(const struct walk_doc *doc,
				       const char *name, uint8_t **data,
				       size_t *len, struct diag *d);

#endif
