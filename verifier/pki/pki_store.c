#include "pki_store.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "../base/hex.h"
#include "pki_ocsp.h"
#include "pki_ossl.h"

/* see pki_store.h */
struct pki_store *
pki_store_new(void)
{
	struct pki_store *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->anchors = sk_X509_new_null();
	s->crls = sk_X509_CRL_new_null();
	s->ocsps = sk_OCSP_BASICRESP_new_null();
	s->x509_store = X509_STORE_new();
	if (s->anchors == NULL || s->crls == NULL || s->ocsps == NULL ||
	    s->x509_store == NULL) {
		pki_store_free(s);
		return NULL;
	}
	return s;
}

/* see pki_store.h */
void
pki_store_free(struct pki_store *s)
{
	if (s == NULL)
		return;
	sk_X509_pop_free(s->anchors, X509_free);
	sk_X509_CRL_pop_free(s->crls, X509_CRL_free);
	sk_OCSP_BASICRESP_pop_free(s->ocsps, OCSP_BASICRESP_free);
	X509_STORE_free(s->x509_store);
	free(s->pins);
	free(s);
}

/* Parses buf as PEM certificates, else as one DER certificate. */
static int
load_certs(struct pki_store *s, const unsigned char *buf, size_t len)
{
	const unsigned char *p = buf;
	BIO *b;
	X509 *x;
	int n = 0;

	if (len > INT32_MAX)
		return 0;
	b = BIO_new_mem_buf(buf, (int)len);
	if (b == NULL)
		return 0;
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(s->anchors, x)) {
			X509_free(x);
			break;
		}
		X509_STORE_add_cert(s->x509_store, x);
		n++;
	}
	BIO_free(b);
	if (n == 0) {
		x = d2i_X509(NULL, &p, (long)len);
		if (x != NULL && p == buf + len && sk_X509_push(s->anchors, x)) {
			X509_STORE_add_cert(s->x509_store, x);
			n++;
		} else {
			X509_free(x);
		}
	}
	ERR_clear_error(); /* the PEM loop always ends on "no start line" */
	return n;
}

/* Parses buf as PEM CRLs, else as one DER CRL. */
static int
load_crls(struct pki_store *s, const unsigned char *buf, size_t len)
{
	const unsigned char *p = buf;
	BIO *b;
	X509_CRL *c;
	int n = 0;

	if (len > INT32_MAX)
		return 0;
	b = BIO_new_mem_buf(buf, (int)len);
	if (b == NULL)
		return 0;
	while ((c = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_CRL_push(s->crls, c)) {
			X509_CRL_free(c);
			break;
		}
		n++;
	}
	BIO_free(b);
	if (n == 0) {
		c = d2i_X509_CRL(NULL, &p, (long)len);
		if (c != NULL && p == buf + len && sk_X509_CRL_push(s->crls, c))
			n++;
		else
			X509_CRL_free(c);
	}
	ERR_clear_error();
	return n;
}

/* Parses buf as one DER OCSPResponse, else as one PEM "OCSP RESPONSE"
 * (RFC 6960 §4.2.1; pki_ocsp_load says which are kept). */
static int
load_ocsp(struct pki_store *s, const unsigned char *buf, size_t len)
{
	OCSP_BASICRESP *bs = pki_ocsp_load(buf, len);
	unsigned char *der = NULL;
	char *name = NULL, *header = NULL;
	long der_len = 0;
	BIO *b = NULL;

	if (bs == NULL && len <= INT32_MAX) {
		b = BIO_new_mem_buf(buf, (int)len);
		if (b != NULL &&
		    PEM_read_bio(b, &name, &header, &der, &der_len) == 1 &&
		    strcmp(name, PEM_STRING_OCSP_RESPONSE) == 0 && der_len > 0)
			bs = pki_ocsp_load(der, (size_t)der_len);
	}
	BIO_free(b);
	OPENSSL_free(der);
	OPENSSL_free(name);
	OPENSSL_free(header);
	ERR_clear_error();
	if (bs == NULL)
		return 0;
	if (!sk_OCSP_BASICRESP_push(s->ocsps, bs)) {
		OCSP_BASICRESP_free(bs);
		return 0;
	}
	return 1;
}

/* A --crl file: CRLs, else one OCSP response. */
static int
load_revocation(struct pki_store *s, const unsigned char *buf, size_t len)
{
	int n = load_crls(s, buf, len);

	return n > 0 ? n : load_ocsp(s, buf, len);
}

typedef int (*load_fn)(struct pki_store *, const unsigned char *, size_t);

/* Loads one file with fn; a file without anything usable is an error
 * when named on the command line, and only counted inside a folder. */
static tte_err
load_file(struct pki_store *s, const char *path, load_fn fn, int in_dir,
	  const char *what, struct diag *d)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	tte_err rc = TTE_OK;

	TRY(pki_ossl_read_file(path, &buf, &len, d));
	if (fn(s, buf, len) == 0) {
		if (in_dir)
			s->n_skipped++;
		else
			BAIL(TTE_E_MALFORMED, d, "no %s found in '%s'", what,
			     path);
	}
out:
	free(buf);
	return rc;
}

static tte_err
load_path(struct pki_store *s, const char *path, load_fn fn,
	  const char *what, struct diag *d)
{
	struct stat st;
	struct dirent *e;
	DIR *dir = NULL;
	char *child = NULL;
	size_t n_loaded = 0;
	tte_err rc = TTE_OK;

	ENSURE(stat(path, &st) == 0, TTE_E_IO, d, "cannot open '%s': %s",
	       path, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		TRY(load_file(s, path, fn, 0, what, d));
		goto out;
	}
	dir = opendir(path);
	ENSURE(dir != NULL, TTE_E_IO, d, "cannot open '%s': %s", path,
	       strerror(errno));
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		free(child);
		child = malloc(strlen(path) + strlen(e->d_name) + 2);
		ENSURE(child != NULL, TTE_E_NOMEM, d, "loading '%s'", path);
		snprintf(child, strlen(path) + strlen(e->d_name) + 2, "%s/%s",
			 path, e->d_name);
		if (stat(child, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		TRY(load_file(s, child, fn, 1, what, d));
		n_loaded++;
	}
	ENSURE(n_loaded > 0, TTE_E_MALFORMED, d, "no %s found in '%s'", what,
	       path);
out:
	free(child);
	if (dir != NULL)
		closedir(dir);
	return rc;
}

/* see pki_store.h */
size_t
pki_store_anchor_count(const struct pki_store *s)
{
	return (size_t)sk_X509_num(s->anchors);
}

/* see pki_store.h */
tte_err
pki_store_add_trust(struct pki_store *s, const char *path, struct diag *d)
{
	return load_path(s, path, load_certs, "certificate", d);
}

/* see pki_store.h */
tte_err
pki_store_add_pin(struct pki_store *s, const char *hex, struct diag *d)
{
	unsigned char (*pins)[32];
	tte_err rc = TTE_OK;

	ENSURE(s->n_pins < 1024, TTE_E_TOO_BIG, d, "more than 1024 pins");
	pins = realloc(s->pins, (s->n_pins + 1) * sizeof(*pins));
	ENSURE(pins != NULL, TTE_E_NOMEM, d, "pins");
	s->pins = pins;
	ENSURE(hex_decode(hex, s->pins[s->n_pins], 32) == 0, TTE_E_MALFORMED, d,
	       "a pinned anchor is a SHA-256 of 64 hex digits, not '%s'",
	       hex != NULL ? hex : "");
	s->n_pins++;
out:
	return rc;
}

/* see pki_store.h */
tte_err
pki_store_add_revocation(struct pki_store *s, const char *path,
			 struct diag *d)
{
	return load_path(s, path, load_revocation, "CRL or OCSP response", d);
}

/* see pki_store.h */
struct pki_pool *
pki_pool_new(void)
{
	struct pki_pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->certs = sk_X509_new_null();
	p->crls = sk_X509_CRL_new_null();
	p->ocsps = sk_OCSP_BASICRESP_new_null();
	if (p->certs == NULL || p->crls == NULL || p->ocsps == NULL) {
		pki_pool_free(p);
		return NULL;
	}
	return p;
}

/* see pki_store.h */
void
pki_pool_free(struct pki_pool *p)
{
	if (p == NULL)
		return;
	sk_X509_pop_free(p->certs, X509_free);
	sk_X509_CRL_pop_free(p->crls, X509_CRL_free);
	sk_OCSP_BASICRESP_pop_free(p->ocsps, OCSP_BASICRESP_free);
	free(p);
}

/* see pki_store.h */
int
pki_pool_add_cert(struct pki_pool *p, const unsigned char *der, size_t len)
{
	const unsigned char *q = der;
	X509 *x;

	if (len > INT32_MAX)
		return -1;
	x = d2i_X509(NULL, &q, (long)len);
	ERR_clear_error();
	if (x == NULL || !sk_X509_push(p->certs, x)) {
		X509_free(x);
		return -1;
	}
	return 0;
}

/* see pki_store.h */
int
pki_pool_add_crl(struct pki_pool *p, const unsigned char *der, size_t len)
{
	const unsigned char *q = der;
	X509_CRL *c;

	if (len > INT32_MAX)
		return -1;
	c = d2i_X509_CRL(NULL, &q, (long)len);
	ERR_clear_error();
	if (c == NULL || !sk_X509_CRL_push(p->crls, c)) {
		X509_CRL_free(c);
		return -1;
	}
	return 0;
}

/* see pki_store.h */
int
pki_pool_add_ocsp(struct pki_pool *p, const unsigned char *der, size_t len)
{
	OCSP_BASICRESP *bs = pki_ocsp_load(der, len);

	if (bs == NULL || !sk_OCSP_BASICRESP_push(p->ocsps, bs)) {
		OCSP_BASICRESP_free(bs);
		return -1;
	}
	return 0;
}
