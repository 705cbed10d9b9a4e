/*
 * walk.c - files and directories; zip archives go to walk_zip.c.
 *
 * A directory is read whole, its names sorted bytewise (strcmp), and each
 * name visited in that order, so two runs over the same tree give the
 * same documents in the same order. Names are opened relative to the open
 * directory (openat), so a deep tree never needs a path over PATH_MAX and
 * a directory renamed mid-walk cannot send us elsewhere.
 *
 * Symlinks are followed. The directories between the walk's root and the
 * current one are kept as a list of (st_dev, st_ino) on the stack; meeting
 * one of them again is a loop, reported once as a TTE_E_LIMIT document
 * instead of being walked (STYLE.md rule 8).
 *
 * Every name is stat'ed before it is opened: opening a device can have
 * side effects (a tape rewinds), so only directories and regular files are
 * ever opened, with O_NONBLOCK in case one became a FIFO in between, and
 * fstat'ed again once open.
 *
 * Unsupported, on purpose: following a loop "just once", reading devices,
 * FIFOs and sockets, files that change while being read.
 */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "walk_zip.h"

#define WALK_OPEN_FLAGS (O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
#define WALK_ERRSTR_MAX 128 /* longest strerror text kept */

/* One directory on the path from the root of the walk to here. */
struct dir_frame {
	dev_t dev;
	ino_t ino;
	const struct dir_frame *up;
};

static void visit_at(const struct walk_run *w, int dirfd, const char *rel,
                     const char *display, const struct walk_place *pl,
                     int depth, const struct dir_frame *up, int is_detached);

/* see walk.h */
void
walk_opts_default(struct walk_opts *o)
{
	o->stop = NULL;
	o->max_zip_depth = WALK_MAX_ZIP_DEPTH;
	o->max_doc_size = WALK_MAX_DOC_SIZE;
	o->max_zip_ratio = WALK_MAX_ZIP_RATIO;
	o->max_zip_total = WALK_MAX_ZIP_TOTAL;
	o->max_dir_depth = WALK_MAX_DIR_DEPTH;
}

/* see walk_zip.h */
const char *
walk_strerror(int e, char *buf, size_t n)
{
	/* strerror() may share a buffer between threads; the XSI strerror_r
	 * (what -D_DEFAULT_SOURCE selects) does not */
	if (strerror_r(e, buf, n) != 0)
		snprintf(buf, n, "error %d", e);
	return buf;
}

/* see walk_zip.h */
char *
walk_join(const char *a, const char *sep, const char *b)
{
	size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
	char *s;

	/* all three are in memory already, so only the +1 could wrap */
	if (la + ls + lb == SIZE_MAX)
		return NULL;
	s = malloc(la + ls + lb + 1);
	if (s == NULL)
		return NULL;
	memcpy(s, a, la);
	memcpy(s + la, sep, ls);
	memcpy(s + la + ls, b, lb);
	s[la + ls + lb] = '\0';
	return s;
}

/* see walk_zip.h */
const char *
walk_base_name(const char *name)
{
	const char *slash = strrchr(name, '/');

	return slash == NULL ? name : slash + 1;
}

/* see walk_zip.h */
int
walk_stopped(const struct walk_run *w)
{
	return w->o.stop != NULL && *w->o.stop != 0;
}

/* see walk_zip.h */
void
walk_emit_doc(const struct walk_run *w, const char *name, const uint8_t *data,
              size_t len, enum tte_format format, const struct walk_place *pl,
              int is_detached)
{
	struct walk_doc doc;

	memset(&doc, 0, sizeof(doc));
	doc.name = name;
	doc.data = data;
	doc.len = len;
	doc.format = format;
	doc.is_detached_content = is_detached;
	doc.error = TTE_OK;
	doc.error_msg = NULL;
	doc.place = pl;
	w->fn(&doc, w->arg);
}

/* see walk_zip.h */
void
walk_emit_error(const struct walk_run *w, const char *name,
                const struct walk_place *pl, int is_detached,
                const struct diag *d)
{
	struct walk_doc doc;

	memset(&doc, 0, sizeof(doc));
	doc.name = name;
	doc.data = NULL;
	doc.len = 0;
	doc.format = TTE_FMT_UNKNOWN;
	doc.is_detached_content = is_detached;
	/* an error document must never read as a good one */
	doc.error = d->code == TTE_OK ? TTE_E_IO : d->code;
	doc.error_msg = d->msg;
	doc.place = pl;
	w->fn(&doc, w->arg);
}

/* see walk_zip.h */
tte_err
walk_read_fd(int fd, uint64_t size, size_t max, const char *display,
             uint8_t **data, size_t *len, struct diag *d)
{
	char eb[WALK_ERRSTR_MAX];
	uint8_t *buf = NULL;
	size_t cap, got = 0;
	ssize_t n;
	tte_err rc = TTE_OK;

	*data = NULL;
	*len = 0;
	ENSURE(size <= max && size < SIZE_MAX, TTE_E_TOO_BIG, d,
	       "'%s' is %ju bytes, over the limit of %zu", display,
	       (uintmax_t)size, max);
	/* one byte more than expected, so that a file that grew shows */
	cap = (size_t)size + 1;
	buf = malloc(cap);
	ENSURE(buf != NULL, TTE_E_NOMEM, d, "cannot hold '%s' (%zu bytes)",
	       display, cap);
	while (got < cap) {
		/* pread: libzip may share this file offset through a dup */
		n = pread(fd, buf + got, cap - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		ENSURE(n >= 0, TTE_E_IO, d, "cannot read '%s': %s", display,
		       walk_strerror(errno, eb, sizeof(eb)));
		if (n == 0)
			break;
		got += (size_t)n;
	}
	ENSURE(got == size, TTE_E_IO, d, "'%s' changed while being read",
	       display);
	*data = buf;
	*len = got;
	buf = NULL;
out:
	free(buf);
	return rc;
}

/*
 * Opens rel under dirfd for reading. Only directories and regular files
 * are opened; on success *fd_out is open and *st describes it.
 */
static tte_err
open_input(int dirfd, const char *rel, const char *display, int *fd_out,
           struct stat *st, struct diag *d)
{
	char eb[WALK_ERRSTR_MAX];
	int fd = -1;
	tte_err rc = TTE_OK;

	*fd_out = -1;
	ENSURE(fstatat(dirfd, rel, st, 0) == 0, TTE_E_IO, d,
	       "cannot open '%s': %s", display,
	       walk_strerror(errno, eb, sizeof(eb)));
	ENSURE(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode), TTE_E_IO, d,
	       "cannot open '%s': not a regular file", display);
	fd = openat(dirfd, rel, WALK_OPEN_FLAGS);
	ENSURE(fd >= 0, TTE_E_IO, d, "cannot open '%s': %s", display,
	       walk_strerror(errno, eb, sizeof(eb)));
	ENSURE(fstat(fd, st) == 0, TTE_E_IO, d, "cannot open '%s': %s", display,
	       walk_strerror(errno, eb, sizeof(eb)));
	/* it may have been replaced between fstatat and openat */
	ENSURE(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode), TTE_E_IO, d,
	       "cannot open '%s': not a regular file", display);
	*fd_out = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Reads the names in dir but "." and "..", sorted bytewise. */
static tte_err
read_names(DIR *dir, const char *display, char ***names_out, size_t *n_out,
           struct diag *d)
{
	char eb[WALK_ERRSTR_MAX];
	char **names = NULL, **grown;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int e;
	tte_err rc = TTE_OK;

	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (de == NULL)
			break;
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			ENSURE(cap < SIZE_MAX / 2 / sizeof(*names), TTE_E_NOMEM,
			       d, "too many names in '%s'", display);
			cap = cap == 0 ? 64 : cap * 2;
			grown = realloc(names, cap * sizeof(*names));
			ENSURE(grown != NULL, TTE_E_NOMEM, d,
			       "cannot list '%s'", display);
			names = grown;
		}
		names[n] = strdup(de->d_name);
		ENSURE(names[n] != NULL, TTE_E_NOMEM, d, "cannot list '%s'",
		       display);
		n++;
	}
	e = errno;
	ENSURE(e == 0, TTE_E_IO, d, "cannot read directory '%s': %s", display,
	       walk_strerror(e, eb, sizeof(eb)));
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	*names_out = names;
	*n_out = n;
	names = NULL;
	n = 0;
out:
	free_names(names, n);
	return rc;
}

/* True when name + ".p7s" is among the sorted names: detached content. */
static int
has_signature(char *const *names, size_t n, const char *name)
{
	char *key = walk_join(name, "", ".p7s");
	int found;

	if (key == NULL || n == 0) {
		free(key);
		return 0;
	}
	found = bsearch(&key, names, n, sizeof(*names), cmp_names) != NULL;
	free(key);
	return found;
}

/*
 * Walks the directory open on fd (taken over and closed), st describing
 * it, depth directories below the root, up the directories above it.
 * Fails only when the directory itself cannot be walked; problems with
 * what is inside become documents.
 */
static tte_err
walk_dir(const struct walk_run *w, int fd, const struct stat *st,
         const char *display, int depth, const struct dir_frame *up,
         struct diag *d)
{
	char eb[WALK_ERRSTR_MAX];
	struct dir_frame here;
	struct walk_place pl;
	DIR *dir = NULL;
	char **names = NULL;
	char *prefix = NULL, *child;
	const char *sep;
	size_t n = 0, dlen;
	tte_err rc = TTE_OK;

	for (const struct dir_frame *f = up; f != NULL; f = f->up)
		ENSURE(f->dev != st->st_dev || f->ino != st->st_ino,
		       TTE_E_LIMIT, d,
		       "directory loop: '%s' leads back to a directory "
		       "being walked",
		       display);
	ENSURE(depth <= w->o.max_dir_depth, TTE_E_LIMIT, d,
	       "'%s' is nested deeper than %d directories", display,
	       w->o.max_dir_depth);
	dir = fdopendir(fd);
	ENSURE(dir != NULL, TTE_E_IO, d, "cannot read directory '%s': %s",
	       display, walk_strerror(errno, eb, sizeof(eb)));
	fd = -1;
	TRY(read_names(dir, display, &names, &n, d));

	dlen = strlen(display);
	sep = dlen > 0 && display[dlen - 1] == '/' ? "" : "/";
	prefix = walk_join(display, sep, "");
	ENSURE(prefix != NULL, TTE_E_NOMEM, d, "cannot walk '%s'", display);
	here.dev = st->st_dev;
	here.ino = st->st_ino;
	here.up = up;
	memset(&pl, 0, sizeof(pl));
	pl.o = &w->o;
	pl.dirfd = dirfd(dir);
	pl.fs_prefix = "";
	pl.disp_prefix = prefix;
	for (size_t i = 0; i < n; i++) {
		child = walk_join(prefix, "", names[i]);
		/* no memory for the name: report the entry by its own name */
		visit_at(w, pl.dirfd, names[i],
		         child != NULL ? child : names[i], &pl, depth + 1,
		         &here, has_signature(names, n, names[i]));
		free(child);
	}
out:
	if (dir != NULL)
		closedir(dir);
	if (fd >= 0)
		close(fd);
	free_names(names, n);
	free(prefix);
	return rc;
}

/*
 * Reads the regular file open on fd and hands it to the callback; a zip
 * archive goes to walk_zip.c instead, read in place whatever its size,
 * unless it is the content of a detached signature: then the archive as a
 * whole is what was signed, so it is one document.
 */
static tte_err
visit_file(const struct walk_run *w, int fd, const struct stat *st,
           const char *display, const struct walk_place *pl, int is_detached,
           struct diag *d)
{
	uint8_t magic[4];
	uint8_t *data = NULL;
	size_t len = 0;
	ssize_t n;
	enum tte_format f;
	tte_err rc = TTE_OK;

	n = pread(fd, magic, sizeof(magic), 0);
	f = sniff_format(magic, n > 0 ? (size_t)n : 0, NULL);
	if ((f == TTE_FMT_ZIP || f == TTE_FMT_ASIC) && !is_detached) {
		walk_zip_file(w, fd, (uint64_t)st->st_size, display, pl,
		              is_detached);
		goto out;
	}
	TRY(walk_read_fd(fd, (uint64_t)st->st_size, w->o.max_doc_size, display,
	                 &data, &len, d));
	walk_emit_doc(w, display, data, len,
	              sniff_format(data, len, walk_base_name(display)), pl,
	              is_detached);
out:
	free(data);
	return rc;
}

/* Visits what is open on fd (taken over and closed). */
static tte_err
visit_fd(const struct walk_run *w, int fd, const struct stat *st,
         const char *display, const struct walk_place *pl, int depth,
         const struct dir_frame *up, int is_detached, struct diag *d)
{
	tte_err rc = TTE_OK;

	if (S_ISDIR(st->st_mode))
		return walk_dir(w, fd, st, display, depth, up, d);
	rc = visit_file(w, fd, st, display, pl, is_detached, d);
	close(fd);
	return rc;
}

/* Visits rel under dirfd; anything that goes wrong becomes a document. */
static void
visit_at(const struct walk_run *w, int dirfd, const char *rel,
         const char *display, const struct walk_place *pl, int depth,
         const struct dir_frame *up, int is_detached)
{
	struct stat st;
	struct diag d;
	int fd;

	if (walk_stopped(w))
		return;
	tte_err rc;

	diag_clear(&d);
	rc = open_input(dirfd, rel, display, &fd, &st, &d);
	if (rc == TTE_OK)
		rc = visit_fd(w, fd, &st, display, pl, depth, up, is_detached,
		              &d);
	if (rc != TTE_OK)
		walk_emit_error(w, display, pl, is_detached, &d);
}

/* see walk.h */
tte_err
walk_path(const char *path, const struct walk_opts *o, walk_fn fn, void *arg,
          struct diag *d)
{
	struct walk_run w;
	struct walk_place pl;
	struct stat st;
	struct diag dd;
	char *prefix = NULL;
	int fd = -1;
	tte_err rc = TTE_OK;

	ENSURE(path != NULL && fn != NULL, TTE_E_USAGE, d,
	       "walk_path needs a path and a callback");
	if (o != NULL)
		w.o = *o;
	else
		walk_opts_default(&w.o);
	w.fn = fn;
	w.arg = arg;
	TRY(open_input(AT_FDCWD, path, path, &fd, &st, d));

	/* the folder path is the place of a file named on the command line */
	prefix = strndup(path, (size_t)(walk_base_name(path) - path));
	ENSURE(prefix != NULL, TTE_E_NOMEM, d, "cannot walk '%s'", path);
	memset(&pl, 0, sizeof(pl));
	pl.o = &w.o;
	pl.dirfd = AT_FDCWD;
	pl.fs_prefix = prefix;
	pl.disp_prefix = prefix;

	diag_clear(&dd);
	/* From here on, problems are the documents' own, not the walk's.
	 * A file named on the command line is never paired as detached
	 * content: the user asked for it, so it gets its own result. */
	if (visit_fd(&w, fd, &st, path, &pl, 0, NULL, 0, &dd) != TTE_OK)
		walk_emit_error(&w, path, &pl, 0, &dd);
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	free(prefix);
	return rc;
}

/* walk_sibling_load() for a filesystem folder. */
static tte_err
fs_sibling(const struct walk_place *pl, const char *name, uint8_t **data,
           size_t *len, struct diag *d)
{
	struct stat st;
	char *rel = NULL, *display = NULL;
	int fd = -1;
	tte_err rc = TTE_OK;

	rel = walk_join(pl->fs_prefix, "", name);
	display = walk_join(pl->disp_prefix, "", name);
	ENSURE(rel != NULL && display != NULL, TTE_E_NOMEM, d,
	       "cannot open '%s'", name);
	TRY(open_input(pl->dirfd, rel, display, &fd, &st, d));
	ENSURE(S_ISREG(st.st_mode), TTE_E_IO, d,
	       "cannot open '%s': not a regular file", display);
	TRY(walk_read_fd(fd, (uint64_t)st.st_size, pl->o->max_doc_size, display,
	                 data, len, d));
out:
	if (fd >= 0)
		close(fd);
	free(rel);
	free(display);
	return rc;
}

/* see walk.h */
tte_err
walk_sibling_load(const struct walk_doc *doc, const char *name, uint8_t **data,
                  size_t *len, struct diag *d)
{
	tte_err rc = TTE_OK;

	ENSURE(data != NULL && len != NULL, TTE_E_USAGE, d,
	       "walk_sibling_load needs somewhere to put the data");
	*data = NULL;
	*len = 0;
	ENSURE(doc != NULL && doc->place != NULL && name != NULL, TTE_E_IO, d,
	       "no folder to look for a sibling in");
	/* a plain name only: a sibling never leaves the document's folder */
	ENSURE(name[0] != '\0' && strchr(name, '/') == NULL &&
	           strcmp(name, ".") != 0 && strcmp(name, "..") != 0,
	       TTE_E_IO, d, "cannot open '%s': not a plain file name", name);
	if (doc->place->za != NULL)
		TRY(walk_zip_sibling(doc->place, name, data, len, d));
	else
		TRY(fs_sibling(doc->place, name, data, len, d));
out:
	return rc;
}
