/*
 * walk_zip_fuzz.c - a file named on the command line, as the walker
 * takes it: sniffed, and when it is a zip (or ASiC) read in place with
 * libzip, nested archives followed, limits checked; each document's
 * sibling looked up as the detached-signature pairing does.
 *
 * Target functions: walk_path (and through it walk_zip_file, sniff_format),
 * walk_sibling_load (walk_zip_sibling inside archives).
 *
 * walk_path reads files: the input is written to one file per process
 * in /dev/shm (or /tmp), removed after each run. The default limits
 * (walk_opts_default) are the ones under test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../verifier/walk/walk.h"
#include "fuzz.h"
#include "fuzz_file.h"

static void
sibling(const struct walk_doc *doc, const char *name)
{
	uint8_t *data = NULL;
	size_t len = 0;
	struct diag d;

	diag_clear(&d);
	IGNORE(walk_sibling_load(doc, name, &data, &len, &d));
	free(data);
}

/* Looks up "x" for "x.p7s" (the pairing engine.c does), and the
 * document's own name (found again: the lookup's success path). */
static void
on_doc(const struct walk_doc *doc, void *arg)
{
	const char *base = doc->name;
	char want[256];
	size_t n;

	(void)arg;
	if (doc->data == NULL)
		return;
	for (const char *p = doc->name; *p != '\0'; p++)
		if (*p == '/' || *p == '!')
			base = p + 1;
	n = strlen(base);
	if (n > 4 && n - 4 < sizeof(want) &&
	    strcmp(base + n - 4, ".p7s") == 0) {
		memcpy(want, base, n - 4);
		want[n - 4] = '\0';
		sibling(doc, want);
	}
	if (base[0] != '\0')
		sibling(doc, base);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_to_file(data, size, "walk");
	struct diag d;

	if (path == NULL)
		return 0;
	diag_clear(&d);
	IGNORE(walk_path(path, NULL, on_doc, NULL, &d));
	unlink(path);
	return 0;
}
