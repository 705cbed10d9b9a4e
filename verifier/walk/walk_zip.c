/*
 * walk_zip.c - zip archives, read in place with libzip, never extracted.
 *
 * An archive on disk is opened through its file descriptor (zip_fdopen);
 * an archive inside an archive is opened from the memory its entry was
 * read into (zip_source_buffer_create). Nothing is written anywhere, and
 * archives are opened ZIP_RDONLY and closed with zip_discard.
 *
 * Limits (walk.h), checked on the central directory's declared sizes
 * before any byte of an entry is inflated:
 *   - nesting: a.zip is depth 1, a.zip!b.zip depth 2; deeper than
 *     max_zip_depth is refused (TTE_E_LIMIT)
 *   - one entry over max_doc_size (TTE_E_TOO_BIG)
 *   - one entry over 1 MiB expanding more than max_zip_ratio times its
 *     compressed size (TTE_E_LIMIT): the classic zip bomb
 *   - all entries read under one archive on disk, nested ones included,
 *     over max_zip_total (TTE_E_LIMIT): the many-entries bomb
 * and while inflating: at most declared size + 1 bytes are read, and any
 * other actual size is refused (TTE_E_ZIP), so a lying header can never
 * make us hold more than max_doc_size + 1 bytes.
 *
 * Entries are visited in the byte order of their names (ties in central
 * directory order), like directories. Directory entries ("x/") are
 * skipped. Names are shown as stored: "../x" and "/x" included, since
 * nothing goes to disk they are harmless here, and rewriting them would
 * hide what the archive holds. Two entries with one name are two documents.
 *
 * Unsupported, on purpose: encrypted entries (an offline audit has no
 * passwords: TTE_E_UNSUPPORTED "encrypted zip entry"), compression methods
 * this libzip lacks (TTE_E_UNSUPPORTED), split archives (libzip refuses).
 */
#include "walk_zip.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Below this size a high ratio is a small repetitive file (an XML with
 * long runs of spaces), not a bomb; above it the ratio limit applies. */
#define WALK_ZIP_RATIO_MIN_SIZE (1UL << 20)
#define WALK_ZIP_ERR_MAX 128 /* longest libzip error text kept */

/* ETSI EN 319 162-1 §A.1: ASiC-S and ASiC-E media types share this */
static const char asic_mime[] = "application/vnd.etsi.asic";

static void descend(const struct walk_run *w, zip_t *za, const char *archive,
                    int depth, uint64_t *total);

static int
cmp_entries(const void *a, const void *b)
{
	const struct walk_zip_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return (x->index > y->index) - (x->index < y->index);
}

/* Position of the first entry called name in the sorted e[0..n), or n. */
static size_t
find_entry(const struct walk_zip_entry *e, size_t n, const char *name)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(e[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(e[lo].name, name) == 0)
		return lo;
	return n;
}

/* Our code for a libzip error: methods we lack are "not supported". */
static tte_err
code_for(int zip_code)
{
	if (zip_code == ZIP_ER_COMPNOTSUPP || zip_code == ZIP_ER_ENCRNOTSUPP)
		return TTE_E_UNSUPPORTED;
	return TTE_E_ZIP;
}

/* libzip's words for a bare error code (as zip_fdopen gives), in buf. */
static const char *
zip_code_str(int zip_code, char *buf, size_t n)
{
	zip_error_t ze;

	zip_error_init_with_code(&ze, zip_code);
	snprintf(buf, n, "%s", zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return buf;
}

/* True when size is more than ratio times comp (a zip bomb's signature). */
static int
over_ratio(zip_uint64_t size, zip_uint64_t comp, unsigned ratio)
{
	if (comp == 0)
		return size > 0;
	if (ratio != 0 && comp > UINT64_MAX / ratio)
		return 0;
	return size > comp * ratio;
}

/*
 * Reads entry index of za whole into a malloc'd *data, after the limits
 * at the top of this file. total, when not NULL, is the running total of
 * the archive on disk and grows by the entry's declared size.
 */
static tte_err
load_entry(zip_t *za, zip_uint64_t index, const struct walk_opts *o,
           uint64_t *total, const char *display, uint8_t **data, size_t *len,
           struct diag *d)
{
	const zip_uint64_t need =
	    ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_ENCRYPTION_METHOD;
	zip_stat_t st;
	zip_file_t *f = NULL;
	uint8_t *buf = NULL;
	size_t cap, got = 0;
	zip_int64_t n;
	tte_err rc = TTE_OK;

	*data = NULL;
	*len = 0;
	zip_stat_init(&st);
	ENSURE(zip_stat_index(za, index, 0, &st) == 0, TTE_E_ZIP, d,
	       "cannot read '%s': %s", display, zip_strerror(za));
	ENSURE((st.valid & need) == need, TTE_E_ZIP, d,
	       "cannot read '%s': sizes not recorded", display);
	ENSURE(st.encryption_method == ZIP_EM_NONE, TTE_E_UNSUPPORTED, d,
	       "encrypted zip entry '%s'", display);
	ENSURE(st.size <= o->max_doc_size && st.size < SIZE_MAX, TTE_E_TOO_BIG,
	       d, "'%s' is %ju bytes, over the limit of %zu", display,
	       (uintmax_t)st.size, o->max_doc_size);
	ENSURE(st.size <= WALK_ZIP_RATIO_MIN_SIZE ||
	           !over_ratio(st.size, st.comp_size, o->max_zip_ratio),
	       TTE_E_LIMIT, d,
	       "'%s' expands %ju bytes to %ju, over the ratio limit of %u "
	       "(zip bomb?)",
	       display, (uintmax_t)st.comp_size, (uintmax_t)st.size,
	       o->max_zip_ratio);
	if (total != NULL) {
		ENSURE(*total <= o->max_zip_total &&
		           st.size <= o->max_zip_total - *total,
		       TTE_E_LIMIT, d,
		       "'%s' takes its archive over %zu bytes in all "
		       "(zip bomb?)",
		       display, o->max_zip_total);
		*total += st.size;
	}
	f = zip_fopen_index(za, index, 0);
	ENSURE(f != NULL, code_for(zip_error_code_zip(zip_get_error(za))), d,
	       "cannot read '%s': %s", display, zip_strerror(za));
	/* declared + 1: a stream longer than declared shows without being
	 * held whole */
	cap = (size_t)st.size + 1;
	buf = malloc(cap);
	ENSURE(buf != NULL, TTE_E_NOMEM, d, "cannot hold '%s' (%zu bytes)",
	       display, cap);
	while (got < cap) {
		n = zip_fread(f, buf + got, cap - got);
		ENSURE(n >= 0, TTE_E_ZIP, d, "cannot read '%s': %s", display,
		       zip_file_strerror(f));
		if (n == 0)
			break;
		got += (size_t)n;
	}
	ENSURE(got == st.size, TTE_E_ZIP, d,
	       "'%s' inflates to %s%zu bytes but declares %ju", display,
	       got > st.size ? "more than " : "",
	       got > st.size ? (size_t)st.size : got, (uintmax_t)st.size);
	*data = buf;
	*len = got;
	buf = NULL;
out:
	if (f != NULL)
		zip_fclose(f);
	free(buf);
	return rc;
}

/*
 * True when za is an ASiC container: its first entry is "mimetype" and
 * holds an ASiC media type (EN 319 162-1 §A.1). Reads at most the length
 * of that media type, so a huge "mimetype" costs nothing.
 */
static int
is_asic(zip_t *za)
{
	char buf[sizeof(asic_mime) - 1];
	const char *name;
	zip_stat_t st;
	zip_file_t *f;
	zip_int64_t n;
	size_t got = 0;

	if (zip_get_num_entries(za, 0) < 1)
		return 0;
	name = zip_get_name(za, 0, 0);
	if (name == NULL || strcmp(name, "mimetype") != 0)
		return 0;
	zip_stat_init(&st);
	if (zip_stat_index(za, 0, 0, &st) != 0 ||
	    (st.valid & ZIP_STAT_ENCRYPTION_METHOD) == 0 ||
	    st.encryption_method != ZIP_EM_NONE)
		return 0;
	f = zip_fopen_index(za, 0, 0);
	if (f == NULL)
		return 0;
	while (got < sizeof(buf)) {
		n = zip_fread(f, buf + got, sizeof(buf) - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	zip_fclose(f);
	return got == sizeof(buf) && memcmp(buf, asic_mime, got) == 0;
}

/*
 * Opens data[0..len), the entry display in place pl, as an archive depth
 * levels down and walks it, or hands it over whole as an ASiC document.
 */
static tte_err
walk_nested(const struct walk_run *w, const uint8_t *data, size_t len,
            const char *display, const struct walk_place *pl, int depth,
            uint64_t *total, struct diag *d)
{
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	zip_error_t ze;
	tte_err rc = TTE_OK;

	zip_error_init(&ze);
	ENSURE(depth <= w->o.max_zip_depth, TTE_E_LIMIT, d,
	       "'%s' is nested deeper than %d archives", display,
	       w->o.max_zip_depth);
	src = zip_source_buffer_create(data, len, 0, &ze);
	ENSURE(src != NULL, TTE_E_ZIP, d, "cannot open archive '%s': %s",
	       display, zip_error_strerror(&ze));
	za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	ENSURE(za != NULL, TTE_E_ZIP, d, "cannot open archive '%s': %s",
	       display, zip_error_strerror(&ze));
	if (is_asic(za))
		walk_emit_doc(w, display, data, len, TTE_FMT_ASIC, pl, 0);
	else
		descend(w, za, display, depth, total);
out:
	/* a source passed to a zip_t that opened belongs to it */
	if (za != NULL)
		zip_discard(za);
	else if (src != NULL)
		zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}

/*
 * Reads entry k of the sorted view in pl and hands it on: to the callback,
 * or, when it is itself an archive, into it.
 */
static tte_err
visit_entry(const struct walk_run *w, const struct walk_place *pl, size_t k,
            const char *display, int depth, uint64_t *total, int is_detached,
            struct diag *d)
{
	const char *name = pl->entries[k].name;
	uint8_t *data = NULL;
	size_t len = 0;
	enum tte_format f;
	tte_err rc = TTE_OK;

	TRY(load_entry(pl->za, pl->entries[k].index, pl->o, total, display,
	               &data, &len, d));
	f = sniff_format(data, len, walk_base_name(name));
	/* the content of a detached signature is what was signed: whole */
	if ((f == TTE_FMT_ZIP || f == TTE_FMT_ASIC) && !is_detached)
		TRY(walk_nested(w, data, len, display, pl, depth + 1, total,
		                d));
	else
		walk_emit_doc(w, display, data, len, f, pl, is_detached);
out:
	free(data);
	return rc;
}

/* Visits every entry of za, the archive called archive at depth. */
static void
descend(const struct walk_run *w, zip_t *za, const char *archive, int depth,
        uint64_t *total)
{
	struct walk_zip_entry *e = NULL;
	struct walk_place pl;
	struct diag d;
	zip_int64_t count;
	const char *name, *slash;
	char *display, *sig;
	size_t n = 0, nlen;
	int is_detached;

	diag_clear(&d);
	memset(&pl, 0, sizeof(pl));
	pl.o = &w->o;
	pl.dirfd = -1;
	pl.za = za;
	pl.archive = archive;
	pl.zprefix = "";
	count = zip_get_num_entries(za, 0);
	if (count < 0 || (zip_uint64_t)count > SIZE_MAX / sizeof(*e)) {
		diag_set(&d, TTE_E_ZIP, __FILE__, __LINE__,
		         "cannot list archive '%s'", archive);
		walk_emit_error(w, archive, &pl, 0, &d);
		return;
	}
	e = calloc(count > 0 ? (size_t)count : 1, sizeof(*e));
	if (e == NULL) {
		diag_set(&d, TTE_E_NOMEM, __FILE__, __LINE__,
		         "cannot list archive '%s'", archive);
		walk_emit_error(w, archive, &pl, 0, &d);
		return;
	}
	for (zip_int64_t i = 0; i < count; i++) {
		name = zip_get_name(za, (zip_uint64_t)i, 0);
		if (name == NULL) {
			diag_clear(&d);
			diag_set(&d, TTE_E_ZIP, __FILE__, __LINE__,
			         "cannot read the name of entry %jd of '%s': "
			         "%s",
			         (intmax_t)i, archive, zip_strerror(za));
			walk_emit_error(w, archive, &pl, 0, &d);
			continue;
		}
		e[n].name = name;
		e[n].index = (zip_uint64_t)i;
		n++;
	}
	if (n > 0)
		qsort(e, n, sizeof(*e), cmp_entries);

	pl.entries = e;
	pl.n_entries = n;
	for (size_t k = 0; k < n && !walk_stopped(w); k++) {
		name = e[k].name;
		nlen = strlen(name);
		/* a directory entry holds nothing to verify */
		if (nlen > 0 && name[nlen - 1] == '/')
			continue;
		slash = strrchr(name, '/');
		pl.zprefix = name;
		pl.zprefix_len = slash == NULL ? 0 : (size_t)(slash - name) + 1;
		diag_clear(&d);
		display = walk_join(archive, "!", name);
		sig = walk_join(name, "", ".p7s");
		if (display == NULL || sig == NULL) {
			diag_set(&d, TTE_E_NOMEM, __FILE__, __LINE__,
			         "cannot read '%s' in '%s'", name, archive);
			walk_emit_error(w, archive, &pl, 0, &d);
		} else {
			/* same folder: "sub/x" pairs with "sub/x.p7s" */
			is_detached = find_entry(e, n, sig) < n;
			if (visit_entry(w, &pl, k, display, depth, total,
			                is_detached, &d) != TTE_OK)
				walk_emit_error(w, display, &pl, is_detached,
				                &d);
		}
		free(display);
		free(sig);
	}
	free(e);
}

/* The part of walk_zip_file that can fail as a whole. */
static tte_err
zip_file(const struct walk_run *w, int fd, uint64_t size, const char *display,
         const struct walk_place *pl, int is_detached, struct diag *d)
{
	char eb[WALK_ZIP_ERR_MAX];
	zip_t *za = NULL;
	uint8_t *data = NULL;
	size_t len = 0;
	uint64_t total = 0;
	int zfd = -1, zip_code = 0;
	tte_err rc = TTE_OK;

	ENSURE(w->o.max_zip_depth >= 1, TTE_E_LIMIT, d,
	       "'%s' is nested deeper than %d archives", display,
	       w->o.max_zip_depth);
	/* zip_fdopen takes the descriptor only when it succeeds: give it a
	 * copy so that ours stays ours either way */
	zfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	ENSURE(zfd >= 0, TTE_E_IO, d, "cannot open '%s': %s", display,
	       walk_strerror(errno, eb, sizeof(eb)));
	za = zip_fdopen(zfd, ZIP_RDONLY, &zip_code);
	if (za != NULL)
		zfd = -1;
	ENSURE(za != NULL, TTE_E_ZIP, d, "cannot open archive '%s': %s",
	       display, zip_code_str(zip_code, eb, sizeof(eb)));
	if (is_asic(za)) {
		/* a container is verified whole by the asic module */
		zip_discard(za);
		za = NULL;
		TRY(walk_read_fd(fd, size, w->o.max_doc_size, display, &data,
		                 &len, d));
		walk_emit_doc(w, display, data, len, TTE_FMT_ASIC, pl,
		              is_detached);
	} else {
		descend(w, za, display, 1, &total);
	}
out:
	if (za != NULL)
		zip_discard(za);
	if (zfd >= 0)
		close(zfd);
	free(data);
	return rc;
}

/* see walk_zip.h */
void
walk_zip_file(const struct walk_run *w, int fd, uint64_t size,
              const char *display, const struct walk_place *pl, int is_detached)
{
	struct diag d;

	diag_clear(&d);
	if (zip_file(w, fd, size, display, pl, is_detached, &d) != TTE_OK)
		walk_emit_error(w, display, pl, is_detached, &d);
}

/* see walk_zip.h */
tte_err
walk_zip_sibling(const struct walk_place *pl, const char *name, uint8_t **data,
                 size_t *len, struct diag *d)
{
	char *full = NULL, *display = NULL;
	size_t nlen = strlen(name), k;
	tte_err rc = TTE_OK;

	ENSURE(nlen < SIZE_MAX - pl->zprefix_len, TTE_E_NOMEM, d,
	       "cannot open '%s'", name);
	full = malloc(pl->zprefix_len + nlen + 1);
	ENSURE(full != NULL, TTE_E_NOMEM, d, "cannot open '%s'", name);
	memcpy(full, pl->zprefix, pl->zprefix_len);
	memcpy(full + pl->zprefix_len, name, nlen + 1);
	display = walk_join(pl->archive, "!", full);
	ENSURE(display != NULL, TTE_E_NOMEM, d, "cannot open '%s'", name);
	k = find_entry(pl->entries, pl->n_entries, full);
	ENSURE(k < pl->n_entries, TTE_E_IO, d,
	       "cannot open '%s': no such entry", display);
	/* already counted in the archive's total when it was visited */
	TRY(load_entry(pl->za, pl->entries[k].index, pl->o, NULL, display, data,
	               len, d));
out:
	free(full);
	free(display);
	return rc;
}
