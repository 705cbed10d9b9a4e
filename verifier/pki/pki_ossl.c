#include "pki_ossl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "../base/isotime.h"

#define PKI_MAX_FILE (64UL << 20) /* a certificate or CRL file */

/* see pki_ossl.h */
tte_err
pki_ossl_fail(struct diag *d, tte_err code, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256] = "no detail";

	if (e != 0)
		ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return diag_set(d, code, __FILE__, __LINE__, "%s: %s", what, buf);
}

/* see pki_ossl.h */
int
pki_ossl_time(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*out = isotime_from_fields(tm.tm_year + 1900, tm.tm_mon + 1,
				   tm.tm_mday, tm.tm_hour, tm.tm_min,
				   tm.tm_sec);
	return 0;
}

/* see pki_ossl.h */
char *
pki_ossl_name(const X509_NAME *name, struct arena *a)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL, *out = NULL;
	long n;

	if (b == NULL)
		return NULL;
	if (X509_NAME_print_ex(b, name, 0,
			       XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		n = BIO_get_mem_data(b, &data);
		if (n >= 0)
			out = arena_strndup(a, data, (size_t)n);
	}
	BIO_free(b);
	return out;
}

/* see pki_ossl.h */
char *
pki_ossl_hex(const unsigned char *p, size_t n, struct arena *a)
{
	static const char digits[] = "0123456789abcdef";
	char *s = arena_alloc(a, 2 * n + 1);

	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	return s;
}

/* see pki_ossl.h */
char *
pki_ossl_obj_name(const ASN1_OBJECT *obj, struct arena *a)
{
	char buf[128];
	int nid = OBJ_obj2nid(obj);

	if (nid != NID_undef)
		return arena_strdup(a, OBJ_nid2sn(nid));
	if (OBJ_obj2txt(buf, sizeof(buf), obj, 1) <= 0)
		return arena_strdup(a, "unknown");
	return arena_strdup(a, buf);
}

/* see pki_ossl.h */
tte_err
pki_ossl_read_file(const char *path, unsigned char **out, size_t *len,
		   struct diag *d)
{
	struct stat st;
	unsigned char *buf = NULL;
	size_t got = 0;
	ssize_t n;
	int fd;
	tte_err rc = TTE_OK;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ENSURE(fd >= 0, TTE_E_IO, d, "cannot open '%s': %s", path,
	       strerror(errno));
	ENSURE(fstat(fd, &st) == 0 && S_ISREG(st.st_mode), TTE_E_IO, d,
	       "'%s' is not a regular file", path);
	ENSURE((unsigned long long)st.st_size <= PKI_MAX_FILE, TTE_E_TOO_BIG,
	       d, "'%s' is over %lu bytes", path, PKI_MAX_FILE);
	buf = malloc((size_t)st.st_size + 1);
	ENSURE(buf != NULL, TTE_E_NOMEM, d, "reading '%s'", path);
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		ENSURE(n > 0, TTE_E_IO, d, "cannot read '%s': %s", path,
		       n < 0 ? strerror(errno) : "file shrank");
		got += (size_t)n;
	}
	*out = buf;
	*len = got;
	buf = NULL;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* see pki_ossl.h */
void
pki_ossl_sha256_hex(const unsigned char *p, size_t n, char out[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[32];

	if (!EVP_Digest(p, n, md, NULL, EVP_sha256(), NULL)) {
		memset(out, '0', 64);
		out[64] = '\0';
		return;
	}
	for (int i = 0; i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[64] = '\0';
}
