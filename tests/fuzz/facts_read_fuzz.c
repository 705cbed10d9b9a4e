/*
 * facts_read_fuzz.c - one facts line, as `tteaudit rescore` reads it
 * from a file anyone may have edited: the JSON reader and the facts
 * reader over it, then the verdict on what was read.
 *
 * Target functions: json_parse, facts_read_doc, facts_write_doc,
 * verdict_judge_doc.
 *
 * Besides not crashing, a line that reads must round-trip: written
 * again, read again and written a third time it gives the same bytes as
 * the second write (the writer is canonical); a difference aborts. The
 * raw input also goes to json_parse under small limits, so that the
 * limit paths are reached with short inputs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../verifier/base/json.h"
#include "../../verifier/facts.h"
#include "../../verifier/verdict.h"
#include "fuzz.h"

/* The facts line of doc in a malloc'd buffer (NULL when out of memory). */
static char *
line_of(const struct tte_doc *doc, int64_t vt, size_t *len)
{
	char *out = NULL;
	FILE *f = open_memstream(&out, len);

	if (f == NULL)
		return NULL;
	facts_write_doc(f, doc, vt);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct json_limits small = {8, 64, 256};
	const struct json *j = NULL;
	struct tte_doc *doc = NULL, *again = NULL;
	char *l1 = NULL, *l2 = NULL;
	size_t n1 = 0, n2 = 0;
	int64_t vt = 0, vt2 = 0;
	struct arena a;
	struct diag d;

	arena_init(&a);
	diag_clear(&d);
	IGNORE(json_parse(data, size, &a, &small, &j, &d));
	arena_release(&a);

	diag_clear(&d);
	if (facts_read_doc((const char *)data, size, &doc, &vt, &d) != TTE_OK)
		return 0;
	l1 = line_of(doc, vt, &n1);
	if (l1 == NULL)
		goto out;
	diag_clear(&d);
	if (facts_read_doc(l1, n1, &again, &vt2, &d) != TTE_OK) {
		fprintf(stderr, "a written line does not read: %s\n%s", d.msg,
			l1);
		abort();
	}
	l2 = line_of(again, vt2, &n2);
	if (l2 != NULL && (n1 != n2 || memcmp(l1, l2, n1) != 0)) {
		fprintf(stderr, "not canonical:\n%s%s", l1, l2);
		abort();
	}
	/* What rescore does next (the rules are the built-in ones). */
	verdict_judge_doc(doc, vt, NULL);
out:
	free(l1);
	free(l2);
	tte_doc_free(again);
	tte_doc_free(doc);
	return 0;
}
