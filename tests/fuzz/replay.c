/*
 * replay.c - runs a fuzzing harness without libFuzzer: every regular
 * file in the directories (or the files) named on the command line goes
 * once through LLVMFuzzerTestOneInput, in byte order of names. make test
 * links each harness with this file (build/tests/fuzz/<name>_replay) and
 * tests/run.sh runs it over tests/fuzz/corpus/<name> and
 * tests/fuzz/regress/<name>; under SAN=1 that is the corpora and every
 * fixed bug's reproducer under ASan and UBSan.
 *
 * A directory that does not exist is skipped (a harness may have no
 * reproducers yet). A file that cannot be read fails the run; a crash
 * fails it the way the sanitizer does; so does an input that takes more
 * than REPLAY_MAX_SECONDS, so that the reproducers of fixed timeouts stay
 * fixed (make fuzz holds each input to 1 s; this is that with room for
 * sanitizers and slow machines).
 *
 * Usage: <name>_replay DIR_OR_FILE...
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../../verifier/pki/pki_ossl.h"
#include "fuzz.h"

#define REPLAY_MAX_SECONDS 10.0

/* libFuzzer calls this first when a harness defines it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs one file; returns 0, or -1 when it cannot be read or is slow. */
static int
run_file(const char *path)
{
	static const uint8_t empty[1]; /* a harness never gets NULL */
	unsigned char *buf = NULL;
	size_t len = 0;
	struct diag d;
	double t;

	diag_clear(&d);
	if (pki_ossl_read_file(path, &buf, &len, &d) != TTE_OK) {
		fprintf(stderr, "replay: %s\n", d.msg);
		return -1;
	}
	t = now();
	LLVMFuzzerTestOneInput(buf != NULL ? buf : empty, len);
	t = now() - t;
	free(buf);
	if (t > REPLAY_MAX_SECONDS) {
		fprintf(stderr, "replay: '%s' took %.1f s (over %.0f s)\n",
			path, t, REPLAY_MAX_SECONDS);
		return -1;
	}
	return 0;
}

/* Runs every regular file in dir; adds their number to *n. */
static int
run_dir(const char *dir, size_t *n)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char **names = NULL, *path;
	size_t count = 0, cap = 0;
	int rc = 0;

	if (dp == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (count == cap) {
			char **nn;

			cap = cap ? cap * 2 : 64;
			nn = realloc(names, cap * sizeof(*names));
			if (nn == NULL) {
				rc = -1;
				break;
			}
			names = nn;
		}
		names[count] = strdup(e->d_name);
		if (names[count] == NULL) {
			rc = -1;
			break;
		}
		count++;
	}
	closedir(dp);
	if (count > 0)
		qsort(names, count, sizeof(*names), cmp_names);
	for (size_t i = 0; i < count; i++) {
		struct stat st;
		size_t plen = strlen(dir) + strlen(names[i]) + 2;

		path = malloc(plen);
		if (path == NULL) {
			rc = -1;
		} else {
			snprintf(path, plen, "%s/%s", dir, names[i]);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				if (run_file(path) != 0)
					rc = -1;
				(*n)++;
			}
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	size_t n = 0;
	int rc = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISREG(st.st_mode)) {
			rc |= run_file(argv[i]);
			n++;
		} else if (run_dir(argv[i], &n) != 0) {
			fprintf(stderr, "replay: cannot read '%s'\n", argv[i]);
			rc = -1;
		}
	}
	printf("%s: %zu inputs replayed\n", argc > 0 ? argv[0] : "replay", n);
	return rc == 0 ? 0 : 1;
}
