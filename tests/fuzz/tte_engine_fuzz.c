/*
 * tte_engine_fuzz.c - one in-memory document through the whole engine:
 * format sniffing, the verifier for its format (CMS or PDF), the
 * verdict.
 *
 * Target functions: tte_engine_verify_buffer (and through it
 * sniff_format, cms_verify, pdf_sig_verify, verdict_judge_doc).
 *
 * The engine trusts fuzz_pki.h's root and CRLs, written once per process
 * to files in /dev/shm (or /tmp) because tte_engine_new reads --trust and
 * --crl paths; they are removed after loading. The validation time is
 * that of the fixtures run, so the seeds' verdicts do not age.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../verifier/tteaudit.h"
#include "fuzz.h"
#include "fuzz_pki.h"

/* Writes s to a file named after tag and this process; 0 on success. */
static int
write_file(char *path, size_t n, const char *tag, const char *s)
{
	size_t len = strlen(s), done = 0;
	int fd;

	snprintf(path, n, "%s/tteaudit-fuzz-engine-%ld-%s",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
		 (long)getpid(), tag);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t w = write(fd, s + done, len - done);

		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fd);
	return done == len ? 0 : -1;
}

/* The engine, made on first use and never freed (reachable at exit). */
static struct tte_engine *
engine(void)
{
	static struct tte_engine *e;
	char trust[96], crl[96];
	const char *trusts[1] = {trust}, *crls[1] = {crl};
	struct tte_config cfg;
	struct diag d;
	int ok;

	if (e != NULL)
		return e;
	memset(&cfg, 0, sizeof(cfg));
	cfg.trust = trusts;
	cfg.n_trust = 1;
	cfg.crl = crls;
	cfg.n_crl = 1;
	cfg.at = fuzz_at();
	walk_opts_default(&cfg.walk);
	diag_clear(&d);
	ok = write_file(trust, sizeof(trust), "root.pem", fuzz_pem_root) == 0 &&
	     write_file(crl, sizeof(crl), "ca.crl", fuzz_pem_ca_crl) == 0 &&
	     tte_engine_new(&cfg, &e, &d) == TTE_OK;
	unlink(trust);
	unlink(crl);
	if (!ok)
		abort();
	return e;
}

static void
on_doc(const struct tte_doc *doc, void *arg)
{
	(void)doc;
	(void)arg;
}

static int
fuzz_one(const uint8_t *data, size_t size)
{
	tte_engine_verify_buffer(engine(), "fuzz", data, size, on_doc, NULL);
	return 0;
}

FUZZ_ENTRY_SKIPPING_OPENSSL_LEAK(fuzz_one)
