/*
 * Tests for verifier/walk/walk.c and walk_zip.c. Each test builds its own
 * tree under a mkdtemp() folder in /tmp (zips with libzip's writing API,
 * or with zip(1) where only it can make the case) and removes it after.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "../../../verifier/walk/walk.h"

#define MAX_ITEMS 64
#define PATH_LEN 1024

/* A ContentInfo start with id-signedData: sniffs as CMS */
static const char cms_der[] = "\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01"
                              "\x07\x02\xa0\x80";
#define CMS_LEN (sizeof(cms_der) - 1)
static const char pdf[] = "%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n";
#define PDF_LEN (sizeof(pdf) - 1)

/* What the callback saw of one document. */
struct item {
	char *name;
	tte_err error;
	char *msg;
	enum tte_format format;
	int detached;
	size_t len;
	char *data;    /* a NUL-terminated copy, or NULL */
	int sib_tried; /* a ".p7s": walk_sibling_load was called */
	tte_err sib_rc;
	char *sib; /* what it loaded, NUL-terminated */
	char *sib_msg;
};

struct seen {
	struct item it[MAX_ITEMS];
	size_t n;
	int load_siblings;    /* for "x.p7s" load "x" during the callback */
	const char *sib_name; /* load this name instead of "x" */
};

static char *
dup_bytes(const void *p, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static void
collect(const struct walk_doc *doc, void *arg)
{
	struct seen *s = arg;
	struct item *it;
	const char *base, *bang;
	size_t bl;
	char want[PATH_LEN];
	uint8_t *data = NULL;
	size_t len = 0;
	struct diag d;

	assert_true(s->n < MAX_ITEMS);
	it = &s->it[s->n++];
	memset(it, 0, sizeof(*it));
	it->name = strdup(doc->name);
	it->error = doc->error;
	it->msg = doc->error_msg != NULL ? strdup(doc->error_msg) : NULL;
	it->format = doc->format;
	it->detached = doc->is_detached_content;
	it->len = doc->len;
	if (doc->error == TTE_OK)
		assert_true(doc->data != NULL || doc->len == 0);
	else
		assert_null(doc->data);
	if (doc->data != NULL)
		it->data = dup_bytes(doc->data, doc->len);
	if (!s->load_siblings || doc->error != TTE_OK)
		return;
	base = strrchr(doc->name, '/');
	bang = strrchr(doc->name, '!');
	if (bang != NULL && (base == NULL || bang > base))
		base = bang;
	base = base == NULL ? doc->name : base + 1;
	bl = strlen(base);
	if (bl < 5 || strcmp(base + bl - 4, ".p7s") != 0)
		return;
	if (s->sib_name != NULL)
		snprintf(want, sizeof(want), "%s", s->sib_name);
	else
		snprintf(want, sizeof(want), "%.*s", (int)(bl - 4), base);
	diag_clear(&d);
	it->sib_tried = 1;
	it->sib_rc = walk_sibling_load(doc, want, &data, &len, &d);
	if (it->sib_rc == TTE_OK) {
		assert_non_null(data);
		it->sib = dup_bytes(data, len);
		free(data);
	} else {
		assert_null(data);
		assert_int_equal(d.code, it->sib_rc);
		it->sib_msg = strdup(d.msg);
	}
}

static void
seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->it[i].name);
		free(s->it[i].msg);
		free(s->it[i].data);
		free(s->it[i].sib);
		free(s->it[i].sib_msg);
	}
	s->n = 0;
}

/* The item called root + "/" + rel; fails the test when absent. */
static const struct item *
find(const struct seen *s, const char *root, const char *rel)
{
	char name[PATH_LEN];

	snprintf(name, sizeof(name), "%s/%s", root, rel);
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->it[i].name, name) == 0)
			return &s->it[i];
	fail_msg("no document '%s'", name);
	return NULL;
}

static size_t
count_named(const struct seen *s, const char *root, const char *rel)
{
	char name[PATH_LEN];
	size_t c = 0;

	snprintf(name, sizeof(name), "%s/%s", root, rel);
	for (size_t i = 0; i < s->n; i++)
		c += strcmp(s->it[i].name, name) == 0;
	return c;
}

static void
walk_ok(const char *path, const struct walk_opts *o, struct seen *s)
{
	struct diag d;

	diag_clear(&d);
	assert_int_equal(walk_path(path, o, collect, s, &d), TTE_OK);
	assert_int_equal(d.code, TTE_OK);
}

/* ---- building trees ---- */

static void
path_of(char *out, const char *root, const char *rel)
{
	int n = snprintf(out, PATH_LEN, "%s/%s", root, rel);

	assert_true(n > 0 && n < PATH_LEN);
}

static void
put(const char *root, const char *rel, const void *data, size_t len)
{
	char p[PATH_LEN];
	FILE *f;

	path_of(p, root, rel);
	f = fopen(p, "wb");
	assert_non_null(f);
	if (len > 0)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
mkdir_in(const char *root, const char *rel)
{
	char p[PATH_LEN];

	path_of(p, root, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static void
symlink_in(const char *root, const char *rel, const char *target)
{
	char p[PATH_LEN];

	path_of(p, root, rel);
	assert_int_equal(symlink(target, p), 0);
}

/* Reads root/rel whole into a malloc'd buffer. */
static uint8_t *
slurp(const char *root, const char *rel, size_t *len)
{
	char p[PATH_LEN];
	struct stat st;
	uint8_t *buf;
	FILE *f;

	path_of(p, root, rel);
	assert_int_equal(stat(p, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	f = fopen(p, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, (size_t)st.st_size, f),
	                 (size_t)st.st_size);
	fclose(f);
	*len = (size_t)st.st_size;
	return buf;
}

struct zent {
	const char *name; /* ending in '/' makes a directory entry */
	const void *data;
	size_t len;
	int store; /* 1: stored, else deflated */
};

static void
mkzip(const char *root, const char *rel, const struct zent *e, size_t n)
{
	char p[PATH_LEN];
	zip_source_t *src;
	zip_int64_t idx;
	zip_t *za;
	int err = 0;

	path_of(p, root, rel);
	za = zip_open(p, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(za);
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(e[i].name);

		if (nl > 0 && e[i].name[nl - 1] == '/') {
			assert_true(zip_dir_add(za, e[i].name, 0) >= 0);
			continue;
		}
		src = zip_source_buffer(za, e[i].data, e[i].len, 0);
		assert_non_null(src);
		idx = zip_file_add(za, e[i].name, src, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		assert_int_equal(zip_set_file_compression(
		                     za, (zip_uint64_t)idx,
		                     e[i].store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
		                     0),
		                 0);
	}
	assert_int_equal(zip_close(za), 0);
}

/* Replaces every occurrence of from by to (same length) in root/rel. */
static void
patch(const char *root, const char *rel, const void *from, const void *to,
      size_t n)
{
	size_t len, hits = 0;
	uint8_t *buf = slurp(root, rel, &len);

	for (size_t i = 0; i + n <= len; i++) {
		if (memcmp(buf + i, from, n) == 0) {
			memcpy(buf + i, to, n);
			hits++;
		}
	}
	assert_true(hits > 0);
	put(root, rel, buf, len);
	free(buf);
}

static void
run(const char *root, const char *cmd)
{
	char line[PATH_LEN * 2];

	snprintf(line, sizeof(line), "cd '%s' && %s", root, cmd);
	assert_int_equal(system(line), 0);
}

static int
setup(void **state)
{
	char *root = strdup("/tmp/walk_test.XXXXXX");

	if (root == NULL || mkdtemp(root) == NULL)
		return -1;
	*state = root;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[PATH_LEN];
	char *root = *state;

	/* the folder name came from mkdtemp: no quoting surprises */
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", root,
	         root);
	if (system(cmd) != 0)
		return -1;
	free(root);
	return 0;
}

/* ---- files and directories ---- */

static void
directory_in_byte_order_with_formats(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	struct seen s;

	mkdir_in(root, "t");
	mkdir_in(root, "t/sub");
	put(root, "t/b.pdf", pdf, PDF_LEN);
	put(root, "t/a.xml", "<?xml version=\"1.0\"?><a/>", 25);
	put(root, "t/C.p7s", cms_der, CMS_LEN);
	put(root, "t/sub/z.txt", "hello", 5);
	put(root, "t/sub/a.pdf", pdf, PDF_LEN);
	put(root, "t/empty", "", 0);
	memset(&s, 0, sizeof(s));
	/* a trailing slash does not double in the names */
	snprintf(top, sizeof(top), "%s/t/", root);
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 6);
	assert_string_equal(s.it[0].name + strlen(root), "/t/C.p7s");
	assert_string_equal(s.it[1].name + strlen(root), "/t/a.xml");
	assert_string_equal(s.it[2].name + strlen(root), "/t/b.pdf");
	assert_string_equal(s.it[3].name + strlen(root), "/t/empty");
	assert_string_equal(s.it[4].name + strlen(root), "/t/sub/a.pdf");
	assert_string_equal(s.it[5].name + strlen(root), "/t/sub/z.txt");
	assert_int_equal(s.it[0].format, TTE_FMT_CMS);
	assert_int_equal(s.it[1].format, TTE_FMT_XML);
	assert_int_equal(s.it[2].format, TTE_FMT_PDF);
	assert_int_equal(s.it[2].len, PDF_LEN);
	assert_memory_equal(s.it[2].data, pdf, PDF_LEN);
	assert_int_equal(s.it[3].format, TTE_FMT_UNKNOWN);
	assert_int_equal(s.it[3].len, 0);
	assert_int_equal(s.it[3].error, TTE_OK);
	assert_int_equal(s.it[5].format, TTE_FMT_UNKNOWN);
	for (size_t i = 0; i < s.n; i++) {
		assert_int_equal(s.it[i].error, TTE_OK);
		assert_int_equal(s.it[i].detached, 0);
	}
	seen_free(&s);

	/* a single file is a document named as given */
	snprintf(top, sizeof(top), "%s/t/b.pdf", root);
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.it[0].name, top);
	assert_int_equal(s.it[0].format, TTE_FMT_PDF);
	seen_free(&s);
}

static void
missing_path_fails_the_walk(void **state)
{
	const char *root = *state;
	char p[PATH_LEN], want[PATH_LEN * 2];
	struct seen s;
	struct diag d;

	memset(&s, 0, sizeof(s));
	path_of(p, root, "nothing-here");
	diag_clear(&d);
	assert_int_equal(walk_path(p, NULL, collect, &s, &d), TTE_E_IO);
	assert_int_equal(d.code, TTE_E_IO);
	snprintf(want, sizeof(want),
	         "cannot open '%s': No such file or directory", p);
	assert_string_equal(d.msg, want);
	assert_int_equal(s.n, 0);

	/* a device named on the command line is refused without reading */
	diag_clear(&d);
	assert_int_equal(walk_path("/dev/zero", NULL, collect, &s, &d),
	                 TTE_E_IO);
	assert_string_equal(d.msg,
	                    "cannot open '/dev/zero': not a regular file");
	assert_int_equal(s.n, 0);
}

static void
unreadable_entries_become_error_documents(void **state)
{
	const char *root = *state;
	char p[PATH_LEN];
	struct seen s;
	const struct item *it;

	mkdir_in(root, "t");
	symlink_in(root, "t/dangling", "no-such-target");
	put(root, "t/ok.pdf", pdf, PDF_LEN);
	put(root, "t/locked.pdf", pdf, PDF_LEN);
	path_of(p, root, "t/locked.pdf");
	assert_int_equal(chmod(p, 0), 0);
	memset(&s, 0, sizeof(s));
	path_of(p, root, "t");
	walk_ok(p, NULL, &s);
	assert_int_equal(s.n, 3);
	it = find(&s, root, "t/dangling");
	assert_int_equal(it->error, TTE_E_IO);
	assert_non_null(strstr(it->msg, "No such file or directory"));
	assert_int_equal(find(&s, root, "t/ok.pdf")->error, TTE_OK);
	it = find(&s, root, "t/locked.pdf");
	/* root reads anything: only an unprivileged run can see EACCES */
	if (geteuid() != 0) {
		assert_int_equal(it->error, TTE_E_IO);
		assert_non_null(strstr(it->msg, "Permission denied"));
	}
	seen_free(&s);
}

static void
fifo_does_not_block(void **state)
{
	const char *root = *state;
	char p[PATH_LEN], top[PATH_LEN];
	struct seen s;
	const struct item *it;

	mkdir_in(root, "t");
	path_of(p, root, "t/pipe");
	assert_int_equal(mkfifo(p, 0600), 0);
	put(root, "t/z.pdf", pdf, PDF_LEN);
	memset(&s, 0, sizeof(s));
	path_of(top, root, "t");
	/* a blocking open would hang here: let the alarm fail the test */
	alarm(20);
	walk_ok(top, NULL, &s);
	alarm(0);
	assert_int_equal(s.n, 2);
	it = find(&s, root, "t/pipe");
	assert_int_equal(it->error, TTE_E_IO);
	assert_non_null(strstr(it->msg, "not a regular file"));
	assert_null(it->data);
	assert_int_equal(find(&s, root, "t/z.pdf")->error, TTE_OK);
	seen_free(&s);
}

static void
symlink_loops_end(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	struct seen s;
	const struct item *it;

	mkdir_in(root, "t");
	mkdir_in(root, "t/d");
	put(root, "t/d/f.pdf", pdf, PDF_LEN);
	symlink_in(root, "t/d/up", "..");     /* back to t: a loop */
	symlink_in(root, "t/d/self", "self"); /* ELOOP on open */
	symlink_in(root, "t/e", "d");         /* a second way into d */
	memset(&s, 0, sizeof(s));
	path_of(top, root, "t");
	alarm(20);
	walk_ok(top, NULL, &s);
	alarm(0);
	assert_int_equal(s.n, 6);
	assert_int_equal(find(&s, root, "t/d/f.pdf")->error, TTE_OK);
	assert_int_equal(find(&s, root, "t/e/f.pdf")->error, TTE_OK);
	it = find(&s, root, "t/d/up");
	assert_int_equal(it->error, TTE_E_LIMIT);
	assert_non_null(strstr(it->msg, "directory loop"));
	assert_int_equal(find(&s, root, "t/e/up")->error, TTE_E_LIMIT);
	it = find(&s, root, "t/d/self");
	assert_int_equal(it->error, TTE_E_IO);
	assert_non_null(strstr(it->msg, "symbolic links"));
	assert_int_equal(find(&s, root, "t/e/self")->error, TTE_E_IO);
	seen_free(&s);

	/* a symlink to an ancestor named on the command line */
	path_of(top, root, "t/d/up");
	alarm(20);
	walk_ok(top, NULL, &s);
	alarm(0);
	assert_int_equal(find(&s, root, "t/d/up/d/f.pdf")->error, TTE_OK);
	assert_int_equal(find(&s, root, "t/d/up/d/up")->error, TTE_E_LIMIT);
	seen_free(&s);
}

static void
directory_depth_limit(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	struct walk_opts o;
	struct seen s;
	const struct item *it;

	mkdir_in(root, "t");
	mkdir_in(root, "t/1");
	mkdir_in(root, "t/1/2");
	mkdir_in(root, "t/1/2/3");
	put(root, "t/1/y.pdf", pdf, PDF_LEN);
	put(root, "t/1/2/x.pdf", pdf, PDF_LEN);
	put(root, "t/1/2/3/deep.pdf", pdf, PDF_LEN);
	walk_opts_default(&o);
	o.max_dir_depth = 2;
	memset(&s, 0, sizeof(s));
	path_of(top, root, "t");
	walk_ok(top, &o, &s);
	assert_int_equal(s.n, 3);
	assert_int_equal(find(&s, root, "t/1/y.pdf")->error, TTE_OK);
	assert_int_equal(find(&s, root, "t/1/2/x.pdf")->error, TTE_OK);
	it = find(&s, root, "t/1/2/3");
	assert_int_equal(it->error, TTE_E_LIMIT);
	assert_non_null(strstr(it->msg, "deeper than 2 directories"));
	seen_free(&s);
}

static void
file_over_the_size_limit(void **state)
{
	const char *root = *state;
	char top[PATH_LEN], big[2000];
	struct walk_opts o;
	struct seen s;

	mkdir_in(root, "t");
	memset(big, 'a', sizeof(big));
	put(root, "t/big", big, sizeof(big));
	put(root, "t/small", big, 1000);
	walk_opts_default(&o);
	o.max_doc_size = 1000;
	memset(&s, 0, sizeof(s));
	path_of(top, root, "t");
	walk_ok(top, &o, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(find(&s, root, "t/big")->error, TTE_E_TOO_BIG);
	assert_int_equal(find(&s, root, "t/small")->error, TTE_OK);
	assert_int_equal(find(&s, root, "t/small")->len, 1000);
	seen_free(&s);
}

/* ---- archives ---- */

static void
nested_zip_names(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	uint8_t *inner, *before, *after;
	size_t inner_len, blen, alen;
	struct seen s;
	const struct item *it;
	const struct zent in[] = {
	    {"x.p7s", cms_der, CMS_LEN, 0},
	    {"sub/y.pdf", pdf, PDF_LEN, 0},
	};

	mkdir_in(root, "t");
	mkzip(root, "inner.zip", in, 2);
	inner = slurp(root, "inner.zip", &inner_len);
	{
		const struct zent out[] = {
		    {"top.pdf", pdf, PDF_LEN, 1},
		    {"d/", NULL, 0, 0},
		    {"d/inner.zip", inner, inner_len, 0},
		    {"inner.zip", inner, inner_len, 1},
		};

		mkzip(root, "t/outer.zip", out, 4);
	}
	before = slurp(root, "t/outer.zip", &blen);
	memset(&s, 0, sizeof(s));
	path_of(top, root, "t");
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 5);
	/* sorted by entry name: "d/..." < "inner.zip" < "top.pdf" */
	assert_string_equal(s.it[0].name + strlen(root),
	                    "/t/outer.zip!d/inner.zip!sub/y.pdf");
	assert_string_equal(s.it[1].name + strlen(root),
	                    "/t/outer.zip!d/inner.zip!x.p7s");
	assert_string_equal(s.it[2].name + strlen(root),
	                    "/t/outer.zip!inner.zip!sub/y.pdf");
	assert_string_equal(s.it[3].name + strlen(root),
	                    "/t/outer.zip!inner.zip!x.p7s");
	assert_string_equal(s.it[4].name + strlen(root),
	                    "/t/outer.zip!top.pdf");
	it = find(&s, root, "t/outer.zip!inner.zip!x.p7s");
	assert_int_equal(it->error, TTE_OK);
	assert_int_equal(it->format, TTE_FMT_CMS);
	assert_int_equal(it->len, CMS_LEN);
	assert_memory_equal(it->data, cms_der, CMS_LEN);
	it = find(&s, root, "t/outer.zip!inner.zip!sub/y.pdf");
	assert_int_equal(it->format, TTE_FMT_PDF);
	seen_free(&s);

	/* the archive named directly; and it was never written to */
	path_of(top, root, "t/outer.zip");
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 5);
	assert_int_equal(find(&s, root, "t/outer.zip!inner.zip!x.p7s")->error,
	                 TTE_OK);
	seen_free(&s);
	after = slurp(root, "t/outer.zip", &alen);
	assert_int_equal(alen, blen);
	assert_memory_equal(after, before, blen);
	free(before);
	free(after);
	free(inner);
}

static void
zip_depth_limit(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	uint8_t *c, *b;
	size_t clen, blen;
	struct walk_opts o;
	struct seen s;
	const struct item *it;

	{
		const struct zent ze[] = {{"x.pdf", pdf, PDF_LEN, 0}};

		mkzip(root, "c.zip", ze, 1);
	}
	c = slurp(root, "c.zip", &clen);
	{
		const struct zent ze[] = {{"c.zip", c, clen, 0}};

		mkzip(root, "b.zip", ze, 1);
	}
	b = slurp(root, "b.zip", &blen);
	{
		const struct zent ze[] = {{"b.zip", b, blen, 0}};

		mkzip(root, "a.zip", ze, 1);
	}
	path_of(top, root, "a.zip");
	memset(&s, 0, sizeof(s));
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(find(&s, root, "a.zip!b.zip!c.zip!x.pdf")->error,
	                 TTE_OK);
	seen_free(&s);

	walk_opts_default(&o);
	o.max_zip_depth = 2;
	walk_ok(top, &o, &s);
	assert_int_equal(s.n, 1);
	it = find(&s, root, "a.zip!b.zip!c.zip");
	assert_int_equal(it->error, TTE_E_LIMIT);
	assert_non_null(strstr(it->msg, "nested deeper than 2 archives"));
	seen_free(&s);

	o.max_zip_depth = 0;
	walk_ok(top, &o, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(find(&s, root, "a.zip")->error, TTE_E_LIMIT);
	seen_free(&s);
	free(b);
	free(c);
}

static void
truncated_zip_then_next_file(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	uint8_t *z;
	size_t zlen;
	struct seen s;
	const struct item *it;
	const struct zent ze[] = {
	    {"x.pdf", pdf, PDF_LEN, 0},
	    {"y.pdf", pdf, PDF_LEN, 0},
	};

	mkdir_in(root, "t");
	mkzip(root, "good.zip", ze, 2);
	z = slurp(root, "good.zip", &zlen);
	/* the central directory is at the end: cutting loses it */
	put(root, "t/a.zip", z, zlen - 30);
	put(root, "t/b.pdf", pdf, PDF_LEN);
	/* a zip magic in front of nothing */
	put(root, "t/c.zip", "PK\x03\x04garbage", 11);
	memset(&s, 0, sizeof(s));
	path_of(top, root, "t");
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 3);
	it = find(&s, root, "t/a.zip");
	assert_int_equal(it->error, TTE_E_ZIP);
	assert_non_null(strstr(it->msg, "cannot open archive"));
	assert_non_null(strstr(it->msg, "Not a zip archive"));
	assert_int_equal(find(&s, root, "t/b.pdf")->error, TTE_OK);
	assert_int_equal(find(&s, root, "t/c.zip")->error, TTE_E_ZIP);
	seen_free(&s);

	/* the same, nested: the error is the entry's, the walk goes on */
	{
		const struct zent out[] = {
		    {"bad.zip", z, zlen - 30, 0},
		    {"ok.pdf", pdf, PDF_LEN, 0},
		};

		mkzip(root, "t/outer.zip", out, 2);
	}
	path_of(top, root, "t/outer.zip");
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(find(&s, root, "t/outer.zip!bad.zip")->error,
	                 TTE_E_ZIP);
	assert_int_equal(find(&s, root, "t/outer.zip!ok.pdf")->error, TTE_OK);
	seen_free(&s);
	free(z);
}

static void
empty_zip_has_no_documents(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	struct seen s;
	static const char eocd[22] = "PK\x05\x06";

	put(root, "empty.zip", eocd, sizeof(eocd));
	path_of(top, root, "empty.zip");
	memset(&s, 0, sizeof(s));
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 0);
}

static void
zip_bomb_by_ratio_is_refused(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	const size_t big = 50u << 20, small = 100u << 10;
	uint8_t *zeros = calloc(big, 1);
	struct seen s;
	const struct item *it;

	assert_non_null(zeros);
	{
		const struct zent ze[] = {
		    {"bomb.bin", zeros, big, 0},
		    /* a small repetitive file is not a bomb */
		    {"small.txt", zeros, small, 0},
		    {"z.pdf", pdf, PDF_LEN, 0},
		};

		mkzip(root, "bomb.zip", ze, 3);
	}
	free(zeros);
	path_of(top, root, "bomb.zip");
	memset(&s, 0, sizeof(s));
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 3);
	it = find(&s, root, "bomb.zip!bomb.bin");
	assert_int_equal(it->error, TTE_E_LIMIT);
	assert_non_null(strstr(it->msg, "ratio"));
	it = find(&s, root, "bomb.zip!small.txt");
	assert_int_equal(it->error, TTE_OK);
	assert_int_equal(it->len, small);
	assert_int_equal(find(&s, root, "bomb.zip!z.pdf")->error, TTE_OK);
	seen_free(&s);
}

static void
zip_size_and_total_limits(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	uint8_t *noise = malloc(600000);
	uint32_t x = 1;
	struct walk_opts o;
	struct seen s;

	assert_non_null(noise);
	/* incompressible enough that no ratio limit is involved */
	for (size_t i = 0; i < 600000; i++) {
		x = x * 1103515245u + 12345u;
		noise[i] = (uint8_t)(x >> 24);
	}
	{
		const struct zent ze[] = {
		    {"1.bin", noise, 600000, 0},
		    {"2.bin", noise, 600000, 0},
		    {"3.bin", noise, 600000, 0},
		    {"4.pdf", pdf, PDF_LEN, 0},
		};

		mkzip(root, "many.zip", ze, 4);
	}
	free(noise);
	path_of(top, root, "many.zip");
	walk_opts_default(&o);
	o.max_zip_total = 1500000;
	memset(&s, 0, sizeof(s));
	walk_ok(top, &o, &s);
	assert_int_equal(s.n, 4);
	assert_int_equal(find(&s, root, "many.zip!1.bin")->error, TTE_OK);
	assert_int_equal(find(&s, root, "many.zip!2.bin")->error, TTE_OK);
	assert_int_equal(find(&s, root, "many.zip!3.bin")->error, TTE_E_LIMIT);
	assert_int_equal(find(&s, root, "many.zip!4.pdf")->error, TTE_OK);
	seen_free(&s);

	walk_opts_default(&o);
	o.max_doc_size = 500000;
	walk_ok(top, &o, &s);
	assert_int_equal(find(&s, root, "many.zip!1.bin")->error,
	                 TTE_E_TOO_BIG);
	assert_int_equal(find(&s, root, "many.zip!4.pdf")->error, TTE_OK);
	seen_free(&s);
}

static void
encrypted_entry_is_refused(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	struct seen s;
	const struct item *it;

	put(root, "x.pdf", pdf, PDF_LEN);
	put(root, "plain.pdf", pdf, PDF_LEN);
	run(root, "zip -q -P pw enc.zip x.pdf && zip -q enc.zip plain.pdf");
	path_of(top, root, "enc.zip");
	memset(&s, 0, sizeof(s));
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 2);
	it = find(&s, root, "enc.zip!x.pdf");
	assert_int_equal(it->error, TTE_E_UNSUPPORTED);
	assert_non_null(strstr(it->msg, "encrypted zip entry"));
	assert_int_equal(find(&s, root, "enc.zip!plain.pdf")->error, TTE_OK);
	seen_free(&s);
}

static void
lying_sizes_are_refused(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	char body[100];
	struct seen s;
	const struct item *it;
	/* little-endian 50 and 200 as four-byte size fields */
	const uint8_t s50[4] = {50, 0, 0, 0}, s200[4] = {200, 0, 0, 0};

	memset(body, 'q', sizeof(body));
	{
		const struct zent ze[] = {
		    {"less.txt", body, sizeof(body), 0},
		    {"more.txt", body, sizeof(body), 0},
		};

		mkzip(root, "lie.zip", ze, 2);
	}
	{
		size_t len;
		uint8_t *z = slurp(root, "lie.zip", &len);

		/* declare 50 bytes for "less", 200 for "more" (both hold
		 * 100): usize is at 22 in a local header (name at 30) and at
		 * 24 in a central one (name at 46), APPNOTE.TXT §4.3.7, 4.3.12
		 */
		for (size_t i = 0; i + 46 <= len; i++) {
			if (memcmp(z + i, "PK\x03\x04", 4) == 0 &&
			    memcmp(z + i + 30, "less", 4) == 0)
				memcpy(z + i + 22, s50, 4);
			if (memcmp(z + i, "PK\x03\x04", 4) == 0 &&
			    memcmp(z + i + 30, "more", 4) == 0)
				memcpy(z + i + 22, s200, 4);
			if (memcmp(z + i, "PK\x01\x02", 4) == 0 &&
			    memcmp(z + i + 46, "less", 4) == 0)
				memcpy(z + i + 24, s50, 4);
			if (memcmp(z + i, "PK\x01\x02", 4) == 0 &&
			    memcmp(z + i + 46, "more", 4) == 0)
				memcpy(z + i + 24, s200, 4);
		}
		put(root, "lie.zip", z, len);
		free(z);
	}
	path_of(top, root, "lie.zip");
	memset(&s, 0, sizeof(s));
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 2);
	it = find(&s, root, "lie.zip!less.txt");
	assert_int_equal(it->error, TTE_E_ZIP);
	assert_null(it->data);
	it = find(&s, root, "lie.zip!more.txt");
	assert_int_equal(it->error, TTE_E_ZIP);
	assert_null(it->data);
	seen_free(&s);
}

static void
odd_and_duplicate_names_are_kept(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	struct seen s;
	const struct zent ze[] = {
	    {"a.pdf", pdf, PDF_LEN, 0},
	    {"b.pdf", "<x/>", 4, 0},
	    {"../evil.pdf", pdf, PDF_LEN, 0},
	    {"/abs.pdf", pdf, PDF_LEN, 0},
	};

	mkzip(root, "odd.zip", ze, 4);
	/* two entries with one name: libzip will not write that itself */
	patch(root, "odd.zip", "b.pdf", "a.pdf", 5);
	path_of(top, root, "odd.zip");
	memset(&s, 0, sizeof(s));
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 4);
	assert_int_equal(count_named(&s, root, "odd.zip!a.pdf"), 2);
	assert_int_equal(s.it[2].format, TTE_FMT_PDF);
	assert_int_equal(s.it[3].format, TTE_FMT_XML);
	assert_int_equal(find(&s, root, "odd.zip!../evil.pdf")->error, TTE_OK);
	assert_int_equal(find(&s, root, "odd.zip!/abs.pdf")->error, TTE_OK);
	seen_free(&s);
	/* and nothing was written next to the archive */
	{
		char p[PATH_LEN];
		struct stat st;

		path_of(p, root, "evil.pdf");
		assert_int_not_equal(stat(p, &st), 0);
		assert_int_not_equal(stat("/abs.pdf", &st), 0);
	}
}

static void
asic_is_a_document(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	static const char mime[] = "application/vnd.etsi.asic-e+zip";
	uint8_t *asic;
	size_t asic_len;
	struct seen s;
	const struct item *it;
	const struct zent ze[] = {
	    {"mimetype", mime, sizeof(mime) - 1, 1},
	    {"META-INF/signature.p7s", cms_der, CMS_LEN, 0},
	    {"doc.pdf", pdf, PDF_LEN, 0},
	};
	/* not first: not ASiC, just a zip */
	const struct zent late[] = {
	    {"doc.pdf", pdf, PDF_LEN, 0},
	    {"mimetype", mime, sizeof(mime) - 1, 1},
	};

	mkdir_in(root, "t");
	mkzip(root, "t/c.asice", ze, 3);
	mkzip(root, "t/late.zip", late, 2);
	asic = slurp(root, "t/c.asice", &asic_len);
	{
		const struct zent outer[] = {{"in/c.asice", asic, asic_len, 0}};

		mkzip(root, "t/outer.zip", outer, 1);
	}
	path_of(top, root, "t");
	memset(&s, 0, sizeof(s));
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 4);
	it = find(&s, root, "t/c.asice");
	assert_int_equal(it->error, TTE_OK);
	assert_int_equal(it->format, TTE_FMT_ASIC);
	assert_int_equal(it->len, asic_len);
	assert_memory_equal(it->data, asic, asic_len);
	it = find(&s, root, "t/outer.zip!in/c.asice");
	assert_int_equal(it->format, TTE_FMT_ASIC);
	assert_int_equal(it->len, asic_len);
	assert_int_equal(find(&s, root, "t/late.zip!doc.pdf")->format,
	                 TTE_FMT_PDF);
	assert_int_equal(find(&s, root, "t/late.zip!mimetype")->error, TTE_OK);
	seen_free(&s);
	free(asic);
}

/* ---- detached signatures ---- */

static void
detached_pairs_and_siblings_in_a_directory(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	struct seen s;
	const struct item *it;

	mkdir_in(root, "t");
	mkdir_in(root, "t/sub");
	put(root, "t/x", "hello", 5);
	put(root, "t/x.p7s", cms_der, CMS_LEN);
	put(root, "t/y", "lonely", 6);
	put(root, "t/z.p7s", cms_der, CMS_LEN);
	/* a signature in another folder does not pair */
	put(root, "t/sub/y.p7s", cms_der, CMS_LEN);
	memset(&s, 0, sizeof(s));
	s.load_siblings = 1;
	path_of(top, root, "t");
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 5);
	assert_int_equal(find(&s, root, "t/x")->detached, 1);
	assert_int_equal(find(&s, root, "t/y")->detached, 0);
	assert_int_equal(find(&s, root, "t/x.p7s")->detached, 0);
	it = find(&s, root, "t/x.p7s");
	assert_true(it->sib_tried);
	assert_int_equal(it->sib_rc, TTE_OK);
	assert_string_equal(it->sib, "hello");
	it = find(&s, root, "t/z.p7s");
	assert_int_equal(it->sib_rc, TTE_E_IO);
	assert_non_null(strstr(it->sib_msg, "No such file or directory"));
	it = find(&s, root, "t/sub/y.p7s");
	assert_int_equal(it->sib_rc, TTE_E_IO);
	seen_free(&s);

	/* a signature named on the command line finds its content too */
	path_of(top, root, "t/x.p7s");
	s.load_siblings = 1;
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.it[0].sib_rc, TTE_OK);
	assert_string_equal(s.it[0].sib, "hello");
	seen_free(&s);

	/* a sibling name must be a plain name */
	path_of(top, root, "t/sub");
	s.sib_name = "../x";
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.it[0].sib_rc, TTE_E_IO);
	assert_non_null(strstr(s.it[0].sib_msg, "not a plain file name"));
	seen_free(&s);
}

static void
detached_pairs_and_siblings_in_a_zip(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	uint8_t *inner;
	size_t inner_len;
	struct seen s;
	const struct item *it;
	const struct zent ze[] = {
	    {"a.txt", "top-level a", 11, 0},
	    {"d/", NULL, 0, 0},
	    {"d/a.txt", "folder a", 8, 0},
	    {"d/a.txt.p7s", cms_der, CMS_LEN, 0},
	    {"d/b.txt", "b", 1, 0},
	    {"d/none.p7s", cms_der, CMS_LEN, 0},
	    {"x.p7s", cms_der, CMS_LEN, 0},
	};

	mkdir_in(root, "t");
	mkzip(root, "t/s.zip", ze, 7);
	inner = slurp(root, "t/s.zip", &inner_len);
	{
		const struct zent out[] = {{"n/s.zip", inner, inner_len, 0}};

		mkzip(root, "t/outer.zip", out, 1);
	}
	memset(&s, 0, sizeof(s));
	s.load_siblings = 1;
	path_of(top, root, "t");
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 12);
	/* same folder only: "a.txt" at the top does not pair with d/ */
	assert_int_equal(find(&s, root, "t/s.zip!a.txt")->detached, 0);
	assert_int_equal(find(&s, root, "t/s.zip!d/a.txt")->detached, 1);
	assert_int_equal(find(&s, root, "t/s.zip!d/b.txt")->detached, 0);
	it = find(&s, root, "t/s.zip!d/a.txt.p7s");
	assert_int_equal(it->sib_rc, TTE_OK);
	assert_string_equal(it->sib, "folder a");
	it = find(&s, root, "t/s.zip!d/none.p7s");
	assert_int_equal(it->sib_rc, TTE_E_IO);
	assert_non_null(strstr(it->sib_msg, "s.zip!d/none': no such entry"));
	/* "x" absent; the folder's "x.p7s" itself is not "x" */
	assert_int_equal(find(&s, root, "t/s.zip!x.p7s")->sib_rc, TTE_E_IO);
	/* in a nested, in-memory archive alike */
	assert_int_equal(
	    find(&s, root, "t/outer.zip!n/s.zip!d/a.txt")->detached, 1);
	it = find(&s, root, "t/outer.zip!n/s.zip!d/a.txt.p7s");
	assert_int_equal(it->sib_rc, TTE_OK);
	assert_string_equal(it->sib, "folder a");
	seen_free(&s);
	free(inner);
}

static void
sibling_load_enforces_the_size_limit(void **state)
{
	const char *root = *state;
	char top[PATH_LEN], big[3000];
	struct walk_opts o;
	struct seen s;
	const struct item *it;

	memset(big, 'b', sizeof(big));
	mkdir_in(root, "t");
	put(root, "t/x", big, sizeof(big));
	put(root, "t/x.p7s", cms_der, CMS_LEN);
	{
		const struct zent ze[] = {
		    {"x", big, sizeof(big), 0},
		    {"x.p7s", cms_der, CMS_LEN, 0},
		};

		mkzip(root, "t/z.zip", ze, 2);
	}
	walk_opts_default(&o);
	o.max_doc_size = 1000;
	memset(&s, 0, sizeof(s));
	s.load_siblings = 1;
	path_of(top, root, "t");
	walk_ok(top, &o, &s);
	assert_int_equal(s.n, 4);
	it = find(&s, root, "t/x");
	assert_int_equal(it->error, TTE_E_TOO_BIG);
	assert_int_equal(it->detached, 1);
	assert_int_equal(find(&s, root, "t/x.p7s")->sib_rc, TTE_E_TOO_BIG);
	assert_int_equal(find(&s, root, "t/z.zip!x")->error, TTE_E_TOO_BIG);
	assert_int_equal(find(&s, root, "t/z.zip!x.p7s")->sib_rc,
	                 TTE_E_TOO_BIG);
	seen_free(&s);
}

static void
zip_that_is_detached_content_is_one_document(void **state)
{
	const char *root = *state;
	char top[PATH_LEN];
	struct seen s;
	const struct item *it;
	const struct zent ze[] = {{"in.pdf", pdf, PDF_LEN, 0}};

	mkdir_in(root, "t");
	mkzip(root, "t/bundle.zip", ze, 1);
	put(root, "t/bundle.zip.p7s", cms_der, CMS_LEN);
	memset(&s, 0, sizeof(s));
	s.load_siblings = 1;
	path_of(top, root, "t");
	walk_ok(top, NULL, &s);
	assert_int_equal(s.n, 2);
	it = find(&s, root, "t/bundle.zip");
	assert_int_equal(it->error, TTE_OK);
	assert_int_equal(it->format, TTE_FMT_ZIP);
	assert_int_equal(it->detached, 1);
	it = find(&s, root, "t/bundle.zip.p7s");
	assert_int_equal(it->sib_rc, TTE_OK);
	assert_memory_equal(it->sib, "PK\x03\x04", 4);
	seen_free(&s);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(directory_in_byte_order_with_formats),
	    T(missing_path_fails_the_walk),
	    T(unreadable_entries_become_error_documents),
	    T(fifo_does_not_block),
	    T(symlink_loops_end),
	    T(directory_depth_limit),
	    T(file_over_the_size_limit),
	    T(nested_zip_names),
	    T(zip_depth_limit),
	    T(truncated_zip_then_next_file),
	    T(empty_zip_has_no_documents),
	    T(zip_bomb_by_ratio_is_refused),
	    T(zip_size_and_total_limits),
	    T(encrypted_entry_is_refused),
	    T(lying_sizes_are_refused),
	    T(odd_and_duplicate_names_are_kept),
	    T(asic_is_a_document),
	    T(detached_pairs_and_siblings_in_a_directory),
	    T(detached_pairs_and_siblings_in_a_zip),
	    T(sibling_load_enforces_the_size_limit),
	    T(zip_that_is_detached_content_is_one_document),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
