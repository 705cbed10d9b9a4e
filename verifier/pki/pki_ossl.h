/*
 * pki_ossl.h - the small glue between OpenSSL and the rest: error queue
 * into diag, ASN.1 times into epoch seconds, names and hex.
 */
#ifndef TTE_PKI_OSSL_H
#define TTE_PKI_OSSL_H

#include <stdint.h>

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include "../base/arena.h"
#include "../diag.h"

/* Drains OpenSSL's error queue into one message in d; returns code. */
tte_err pki_ossl_fail(struct diag *d, tte_err code, const char *what);

/* Converts an ASN.1 UTCTime/GeneralizedTime; 0 on success, -1 if bad. */
int pki_ossl_time(const ASN1_TIME *t, int64_t *out);

/* RFC 2253 form of name, in a. */
char *pki_ossl_name(const X509_NAME *name, struct arena *a);

/* Lower-case hex of p[0..n), in a. */
char *pki_ossl_hex(const unsigned char *p, size_t n, struct arena *a);

/* Reads a whole regular file into a malloc'd buffer (read-only open). */
TTE_MUST_USE tte_err pki_ossl_read_file(const char *path, unsigned char **out,
					size_t *len, struct diag *d);

/* Short name of an algorithm OID ("SHA256", "RSA", ...), in a. */
char *pki_ossl_obj_name(const ASN1_OBJECT *obj, struct arena *a);

/* SHA-256 of p[0..n) as 64 hex digits and a NUL. */
void pki_ossl_sha256_hex(const unsigned char *p, size_t n, char out[65]);

#endif
