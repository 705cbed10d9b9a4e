#include "pki_chain.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "pki_ocsp.h"
#include "pki_ossl.h"

#define PKI_MAX_POLICIES 32 /* certificatePolicies entries reported */

/* Text of the first entry of nid in name, or NULL. */
static const char *
name_entry(const X509_NAME *name, int nid, struct arena *a)
{
	int i = X509_NAME_get_index_by_NID(name, nid, -1);
	unsigned char *utf8 = NULL;
	const char *out = NULL;
	int n;

	if (i < 0)
		return NULL;
	n = ASN1_STRING_to_UTF8(&utf8,
		X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
	if (n >= 0)
		out = arena_strndup(a, (const char *)utf8, (size_t)n);
	OPENSSL_free(utf8);
	return out;
}

static void
policies(X509 *x, struct tte_cert *c, struct arena *a)
{
	CERTIFICATEPOLICIES *cps;
	char buf[128];
	int n;

	cps = X509_get_ext_d2i(x, NID_certificate_policies, NULL, NULL);
	if (cps == NULL)
		return;
	n = sk_POLICYINFO_num(cps);
	if (n > PKI_MAX_POLICIES)
		n = PKI_MAX_POLICIES;
	c->policy_oids = arena_alloc(a, sizeof(char *) * (size_t)(n + 1));
	for (int i = 0; c->policy_oids != NULL && i < n; i++) {
		POLICYINFO *pi = sk_POLICYINFO_value(cps, i);

		if (OBJ_obj2txt(buf, sizeof(buf), pi->policyid, 1) <= 0)
			continue;
		c->policy_oids[c->n_policy_oids++] = arena_strdup(a, buf);
	}
	CERTIFICATEPOLICIES_free(cps);
}

static void
ext_key_usage(X509 *x, struct tte_cert *c, struct arena *a)
{
	EXTENDED_KEY_USAGE *eku;
	char buf[128];
	int n, i = X509_get_ext_by_NID(x, NID_ext_key_usage, -1);

	if (i < 0)
		return;
	c->eku_critical = X509_EXTENSION_get_critical(X509_get_ext(x, i));
	eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	if (eku == NULL)
		return;
	n = sk_ASN1_OBJECT_num(eku);
	if (n > PKI_MAX_POLICIES)
		n = PKI_MAX_POLICIES;
	c->eku_oids = arena_alloc(a, sizeof(char *) * (size_t)(n + 1));
	for (int k = 0; c->eku_oids != NULL && k < n; k++) {
		if (OBJ_obj2txt(buf, sizeof(buf), sk_ASN1_OBJECT_value(eku, k),
				1) <= 0)
			continue;
		c->eku_oids[c->n_eku_oids++] = arena_strdup(a, buf);
	}
	/* RFC 3161 §2.3: timeStamping must be the only purpose. */
	c->eku_timestamping =
		sk_ASN1_OBJECT_num(eku) == 1 &&
		OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, 0)) == NID_time_stamp;
	EXTENDED_KEY_USAGE_free(eku);
}

/* Plain names the verdict's algorithm catalogue uses. */
static const char *
key_type_name(int id)
{
	switch (id) {
	case EVP_PKEY_RSA:
		return "RSA";
	case EVP_PKEY_RSA_PSS:
		return "RSA-PSS";
	case EVP_PKEY_EC:
		return "EC";
	case EVP_PKEY_DSA:
		return "DSA";
	case EVP_PKEY_ED25519:
		return "Ed25519";
	case EVP_PKEY_ED448:
		return "Ed448";
	default:
		return "unknown";
	}
}

/* OpenSSL's KU_* bits (in the order of the DER bit string's bytes) as
 * enum tte_ku. */
static unsigned
key_usage_bits(uint32_t ku)
{
	static const struct {
		uint32_t ossl;
		unsigned tte;
	} map[] = {
		{KU_DIGITAL_SIGNATURE, TTE_KU_DIGITAL_SIGNATURE},
		{KU_NON_REPUDIATION, TTE_KU_NON_REPUDIATION},
		{KU_KEY_ENCIPHERMENT, TTE_KU_KEY_ENCIPHERMENT},
		{KU_DATA_ENCIPHERMENT, TTE_KU_DATA_ENCIPHERMENT},
		{KU_KEY_AGREEMENT, TTE_KU_KEY_AGREEMENT},
		{KU_KEY_CERT_SIGN, TTE_KU_KEY_CERT_SIGN},
		{KU_CRL_SIGN, TTE_KU_CRL_SIGN},
		{KU_ENCIPHER_ONLY, TTE_KU_ENCIPHER_ONLY},
		{KU_DECIPHER_ONLY, TTE_KU_DECIPHER_ONLY},
	};
	unsigned out = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (ku & map[i].ossl)
			out |= map[i].tte;
	}
	return out;
}

/* see pki_chain.h */
struct tte_cert *
pki_cert_info(X509 *x, struct arena *a)
{
	struct tte_cert *c = arena_alloc(a, sizeof(*c));
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const ASN1_INTEGER *serial;
	BIGNUM *bn = NULL;
	char *hex = NULL;
	EVP_PKEY *pk;
	uint32_t ku;
	int md_nid = NID_undef;

	if (c == NULL)
		return NULL;
	c->subject = pki_ossl_name(X509_get_subject_name(x), a);
	c->issuer = pki_ossl_name(X509_get_issuer_name(x), a);
	c->organization = name_entry(X509_get_subject_name(x),
				     NID_organizationName, a);
	c->unit = name_entry(X509_get_subject_name(x),
			     NID_organizationalUnitName, a);
	serial = X509_get0_serialNumber(x);
	bn = ASN1_INTEGER_to_BN(serial, NULL);
	if (bn != NULL)
		hex = BN_bn2hex(bn);
	c->serial = arena_strdup(a, hex != NULL ? hex : "?");
	OPENSSL_free(hex);
	BN_free(bn);
	if (X509_digest(x, EVP_sha256(), md, &mdlen))
		c->sha256 = pki_ossl_hex(md, mdlen, a);
	if (pki_ossl_time(X509_get0_notBefore(x), &c->not_before) != 0 ||
	    pki_ossl_time(X509_get0_notAfter(x), &c->not_after) != 0) {
		/* An unreadable validity is never valid: an empty window. */
		c->not_before = INT64_MAX;
		c->not_after = INT64_MIN;
	}
	pk = X509_get0_pubkey(x);
	if (pk != NULL) {
		c->key_type = key_type_name(EVP_PKEY_get_base_id(pk));
		c->key_bits = EVP_PKEY_get_bits(pk);
	}
	c->sig_alg = arena_strdup(a, OBJ_nid2sn(X509_get_signature_nid(x)));
	/* X509_get_signature_info reads RSASSA-PSS parameters too, where
	 * the algorithm identifier alone names no digest. */
	if (X509_get_signature_info(x, &md_nid, NULL, NULL, NULL) &&
	    md_nid != NID_undef)
		c->sig_digest = arena_strdup(a, OBJ_nid2sn(md_nid));
	ku = X509_get_key_usage(x); /* UINT32_MAX when there is none */
	c->ku_allows_signing =
		(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) != 0;
	c->has_key_usage = (X509_get_extension_flags(x) & EXFLAG_KUSAGE) != 0;
	if (c->has_key_usage)
		c->key_usage = key_usage_bits(ku);
	policies(x, c, a);
	ext_key_usage(x, c, a);
	ERR_clear_error();
	return c;
}

/* What the verify callback saw; the worst kind of problem wins. */
struct chain_errors {
	enum tte_chain status;
	int err;
	int depth;
};

static int
chain_rank(enum tte_chain st)
{
	switch (st) {
	case TTE_CHAIN_NO_ANCHOR:
		return 3;
	case TTE_CHAIN_BROKEN:
		return 2;
	case TTE_CHAIN_CONSTRAINTS:
		return 1;
	case TTE_CHAIN_NOT_DONE:
	case TTE_CHAIN_FOUND:
		return 0;
	}
	return 0;
}

/* Records every problem and carries on, so that the whole chain is built
 * and the reason reported is the most telling one. */
static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	struct chain_errors *ce = X509_STORE_CTX_get_app_data(ctx);
	enum tte_chain st;
	int err;

	if (ok)
		return 1;
	err = X509_STORE_CTX_get_error(ctx);
	switch (err) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		st = TTE_CHAIN_NO_ANCHOR;
		break;
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
	case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
		st = TTE_CHAIN_BROKEN;
		break;
	default:
		st = TTE_CHAIN_CONSTRAINTS;
		break;
	}
	if (chain_rank(st) > chain_rank(ce->status)) {
		ce->status = st;
		ce->err = err;
		ce->depth = X509_STORE_CTX_get_error_depth(ctx);
	}
	return 1;
}

static const char *
reason_name(int reason)
{
	switch (reason) {
	case CRL_REASON_UNSPECIFIED: return "unspecified";
	case CRL_REASON_KEY_COMPROMISE: return "keyCompromise";
	case CRL_REASON_CA_COMPROMISE: return "cACompromise";
	case CRL_REASON_AFFILIATION_CHANGED: return "affiliationChanged";
	case CRL_REASON_SUPERSEDED: return "superseded";
	case CRL_REASON_CESSATION_OF_OPERATION: return "cessationOfOperation";
	case CRL_REASON_CERTIFICATE_HOLD: return "certificateHold";
	case CRL_REASON_REMOVE_FROM_CRL: return "removeFromCRL";
	case CRL_REASON_PRIVILEGE_WITHDRAWN: return "privilegeWithdrawn";
	case CRL_REASON_AA_COMPROMISE: return "aACompromise";
	default: return "unknown";
	}
}

/* Nonzero when the distribution point names a and b name the same
 * place. A name relative to the CRL issuer (RFC 5280 §4.2.1.13) is the
 * issuer's name plus that RDN, compared with the other side's
 * directoryName entries. */
static int
dp_names_match(DIST_POINT_NAME *a, DIST_POINT_NAME *b, const X509_NAME *issuer)
{
	DIST_POINT_NAME *rel = a->type == 1 ? a : b, *full = rel == a ? b : a;

	if (a->type == 0 && b->type == 0) {
		for (int i = 0; i < sk_GENERAL_NAME_num(a->name.fullname); i++)
			for (int k = 0; k < sk_GENERAL_NAME_num(b->name.fullname); k++)
				if (GENERAL_NAME_cmp(
					    sk_GENERAL_NAME_value(a->name.fullname, i),
					    sk_GENERAL_NAME_value(b->name.fullname, k)) == 0)
					return 1;
		return 0;
	}
	if (!DIST_POINT_set_dpname(a, issuer) || !DIST_POINT_set_dpname(b, issuer)) {
		ERR_clear_error();
		return 0;
	}
	if (a->type == 1 && b->type == 1)
		return X509_NAME_cmp(a->dpname, b->dpname) == 0;
	for (int i = 0; i < sk_GENERAL_NAME_num(full->name.fullname); i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(full->name.fullname, i);

		if (g->type == GEN_DIRNAME &&
		    X509_NAME_cmp(g->d.directoryName, rel->dpname) == 0)
			return 1;
	}
	return 0;
}

/* Nonzero when one of cert's CRL distribution points names the place
 * that the CRL's issuing distribution point names (RFC 5280 §6.3.3
 * (b)(2)(i)). */
static int
dp_matches(DIST_POINT_NAME *idp_dp, X509_CRL *crl, X509 *cert)
{
	STACK_OF(DIST_POINT) *dps;
	int match = 0;

	dps = X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
	for (int i = 0; dps != NULL && i < sk_DIST_POINT_num(dps) && !match;
	     i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);

		if (dp->distpoint != NULL)
			match = dp_names_match(dp->distpoint, idp_dp,
					       X509_CRL_get_issuer(crl));
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	ERR_clear_error();
	return match;
}

/* RFC 5280 §5.2, §5.3: the CRL and entry extensions we process. A CRL
 * with any other critical extension cannot be used (§6.3.3 (f)). */
static const char *
unhandled_critical(X509_CRL *crl, X509_REVOKED *entry)
{
	const STACK_OF(X509_EXTENSION) *exts = X509_CRL_get0_extensions(crl);

	for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
		X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(e));

		if (X509_EXTENSION_get_critical(e) && nid != NID_crl_number &&
		    nid != NID_delta_crl && nid != NID_issuing_distribution_point &&
		    nid != NID_authority_key_identifier)
			return "it carries a critical extension tteaudit does "
			       "not process";
	}
	exts = entry != NULL ? X509_REVOKED_get0_extensions(entry) : NULL;
	for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
		X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(e));

		if (X509_EXTENSION_get_critical(e) && nid != NID_crl_reason &&
		    nid != NID_invalidity_date && nid != NID_certificate_issuer)
			return "its entry carries a critical extension tteaudit "
			       "does not process";
	}
	return NULL;
}

/* What a CRL's issuing distribution point leaves out (RFC 5280
 * §5.2.5): returns a reason to skip the CRL for cert, or NULL. Sets
 * *partial when the CRL covers only some reasons (it can then show a
 * revocation, never the absence of one). */
static const char *
crl_scope(X509_CRL *crl, X509 *cert, int *partial, unsigned *reasons)
{
	ISSUING_DIST_POINT *idp;
	const char *skip = NULL;
	ASN1_INTEGER *delta = X509_CRL_get_ext_d2i(crl, NID_delta_crl, NULL,
						   NULL);

	*partial = delta != NULL;
	ASN1_INTEGER_free(delta);
	idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, NULL,
				   NULL);
	if (idp == NULL)
		return NULL;
	if (idp->onlyuser && X509_check_ca(cert) > 0)
		skip = "for end-entity certificates only";
	else if (idp->onlyCA && X509_check_ca(cert) <= 0)
		skip = "for CA certificates only";
	else if (idp->onlyattr)
		skip = "for attribute certificates only";
	else if (idp->distpoint != NULL && !dp_matches(idp->distpoint, crl, cert))
		skip = "for another distribution point";
	/* ReasonFlags (RFC 5280 §4.2.1.13): bits 1-8 name the reasons a
	 * partitioned CRL covers; together several may cover them all. */
	if (idp->onlysomereasons != NULL) {
		for (int b = 1; b <= 8; b++)
			if (ASN1_BIT_STRING_get_bit(idp->onlysomereasons, b))
				*reasons |= 1U << b;
		if (*reasons == 0)
			*partial = 1; /* covers nothing: never GOOD */
	}
	ISSUING_DIST_POINT_free(idp);
	ERR_clear_error();
	return skip;
}

/* What a CRL lookup needs besides the CRL and the certificate. */
struct crl_ctx {
	const struct pki_store *s;
	const struct pki_pool *doc;
	STACK_OF(X509) *untrusted;
	STACK_OF(X509) *trusted;    /* anchors with pinned ones, or NULL:
				       the store's */
	X509 *anchor;               /* the target chain's trust anchor */
	struct arena *a;
};

/* The status of x on the CRLs its issuer signed with the issuer's own
 * key: 1 covered and not listed, 0 listed, -1 no such CRL. One level
 * only: used for the helpers of revocation checking (a separate CRL
 * signer, RFC 5280 §6.3.3 (f); a delegated OCSP responder, RFC 6960
 * §4.2.2.2.1), whose issuers' CRLs are not searched further. */
static int
status_by_issuer_crls(const struct crl_ctx *cx, X509 *x, X509 *issuer)
{
	STACK_OF(X509_CRL) *lists[2] = {cx->s->crls,
					cx->doc != NULL ? cx->doc->crls : NULL};
	int status = -1;

	for (int l = 0; l < 2; l++) {
		for (int i = 0; lists[l] != NULL && i < sk_X509_CRL_num(lists[l]);
		     i++) {
			X509_CRL *crl = sk_X509_CRL_value(lists[l], i);
			X509_REVOKED *rev = NULL;

			if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
					  X509_get_subject_name(issuer)) != 0 ||
			    X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1)
				continue;
			if (X509_CRL_get0_by_cert(crl, &rev, x) == 1) {
				ERR_clear_error();
				return 0;
			}
			status = 1;
		}
	}
	ERR_clear_error();
	return status;
}

static int
signer_unrevoked(const struct crl_ctx *cx, X509 *cand, X509 *cand_issuer)
{
	return status_by_issuer_crls(cx, cand, cand_issuer) == 1;
}

/* pki_ocsp's question about a delegated responder without nocheck. */
static int
responder_status(void *arg, X509 *responder, X509 *issuer)
{
	return status_by_issuer_crls(arg, responder, issuer);
}

/*
 * RFC 5280 §6.3.3 (f): a CRL may be signed by another key of its issuer
 * (key rollover, a separate CRL-signing certificate). Finds a certificate
 * named like the CRL issuer, allowed to sign CRLs, whose key verifies the
 * CRL, whose own path leads to the same trust anchor as the certificate
 * checked, and which is not revoked. Returns it (borrowed) or NULL.
 */
static X509 *
other_crl_signer(const struct crl_ctx *cx, X509_CRL *crl, X509 *issuer)
{
	STACK_OF(X509) *pools[2] = {cx->untrusted, cx->s->anchors};
	X509 *found = NULL;

	for (int p = 0; p < 2 && found == NULL; p++) {
		for (int i = 0; pools[p] != NULL && i < sk_X509_num(pools[p]) &&
				found == NULL; i++) {
			X509 *cand = sk_X509_value(pools[p], i);
			X509_STORE_CTX *ctx;
			STACK_OF(X509) *chain;
			int ok;

			if (cand == issuer ||
			    X509_NAME_cmp(X509_get_subject_name(cand),
					  X509_CRL_get_issuer(crl)) != 0 ||
			    (X509_get_key_usage(cand) & KU_CRL_SIGN) == 0 ||
			    X509_CRL_verify(crl, X509_get0_pubkey(cand)) != 1)
				continue;
			ctx = X509_STORE_CTX_new();
			if (ctx == NULL ||
			    !X509_STORE_CTX_init(ctx, cx->s->x509_store, cand,
						 cx->untrusted)) {
				X509_STORE_CTX_free(ctx);
				continue;
			}
			if (cx->trusted != NULL)
				X509_STORE_CTX_set0_trusted_stack(ctx,
								  cx->trusted);
			X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME |
						      X509_V_FLAG_PARTIAL_CHAIN);
			ok = X509_verify_cert(ctx) == 1;
			chain = X509_STORE_CTX_get0_chain(ctx);
			if (ok && chain != NULL && sk_X509_num(chain) >= 1 &&
			    cx->anchor != NULL &&
			    X509_cmp(sk_X509_value(chain, sk_X509_num(chain) - 1),
				     cx->anchor) == 0 &&
			    (sk_X509_num(chain) == 1 ||
			     signer_unrevoked(cx, cand, sk_X509_value(chain, 1))))
				found = cand;
			X509_STORE_CTX_free(ctx);
		}
	}
	ERR_clear_error();
	return found;
}

/* RFC 5280 §5.2.5, §4.2.1.13: an indirect CRL (IDP indirectCRL) may
 * cover cert when one of cert's distribution points names the CRL's
 * issuer in its cRLIssuer field. */
static int
indirect_for(X509_CRL *crl, X509 *cert)
{
	ISSUING_DIST_POINT *idp = X509_CRL_get_ext_d2i(
		crl, NID_issuing_distribution_point, NULL, NULL);
	STACK_OF(DIST_POINT) *dps = NULL;
	int ok = 0;

	if (idp == NULL || !idp->indirectCRL)
		goto out;
	dps = X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
	for (int i = 0; dps != NULL && i < sk_DIST_POINT_num(dps) && !ok; i++) {
		GENERAL_NAMES *ci = sk_DIST_POINT_value(dps, i)->CRLissuer;

		for (int k = 0; ci != NULL && k < sk_GENERAL_NAME_num(ci) && !ok;
		     k++) {
			GENERAL_NAME *g = sk_GENERAL_NAME_value(ci, k);

			ok = g->type == GEN_DIRNAME &&
			     X509_NAME_cmp(g->d.directoryName,
					   X509_CRL_get_issuer(crl)) == 0;
		}
	}
out:
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	ISSUING_DIST_POINT_free(idp);
	ERR_clear_error();
	return ok;
}

/* Nonzero when cert's distribution points all send it to other CRL
 * issuers (cRLIssuer present, none naming its own issuer): then a CRL of
 * its issuer is not the one that speaks for it (RFC 5280 §4.2.1.13). */
static int
dps_name_other_issuers(X509 *cert, const X509_NAME *issuer)
{
	STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(
		cert, NID_crl_distribution_points, NULL, NULL);
	int n = dps == NULL ? 0 : sk_DIST_POINT_num(dps), other = n > 0;

	for (int i = 0; i < n && other; i++) {
		GENERAL_NAMES *ci = sk_DIST_POINT_value(dps, i)->CRLissuer;

		if (ci == NULL) {
			other = 0;
			break;
		}
		for (int k = 0; k < sk_GENERAL_NAME_num(ci); k++) {
			GENERAL_NAME *g = sk_GENERAL_NAME_value(ci, k);

			if (g->type == GEN_DIRNAME &&
			    X509_NAME_cmp(g->d.directoryName, issuer) == 0)
				other = 0;
		}
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	ERR_clear_error();
	return other;
}

/* Adds what one CRL says about cert, if issuer issued it: GOOD,
 * REVOKED, or INVALID when its signature does not verify (RFC 5280
 * §6.3.3). Delta CRLs and CRLs for some reasons only can show a
 * revocation, not its absence; they add evidence only when they list
 * the certificate. */
static void
crl_lookup(const struct crl_ctx *cx, X509_CRL *crl, X509 *cert, X509 *issuer,
	   struct tte_cert *c)
{
	struct arena *a = cx->a;
	X509 *other;
	int indirect;
	X509_REVOKED *rev = NULL;
	ASN1_ENUMERATED *reason = NULL;
	EVP_PKEY *ik = X509_get0_pubkey(issuer);
	struct tte_rev_ev *ev;
	const char *skip;
	int partial = 0;
	long code;

	indirect = X509_NAME_cmp(X509_CRL_get_issuer(crl),
				 X509_get_subject_name(issuer)) != 0;
	if (indirect ? !indirect_for(crl, cert) :
		       dps_name_other_issuers(cert, X509_get_subject_name(issuer)))
		return;
	ev = arena_alloc(a, sizeof(*ev));
	if (ev == NULL)
		return;
	ev->kind = TTE_REVK_CRL;
	ev->source = arena_printf(a, "CRL of '%s'", c->issuer);
	if (pki_ossl_time(X509_CRL_get0_lastUpdate(crl), &ev->issued) != 0 ||
	    (X509_CRL_get0_nextUpdate(crl) != NULL &&
	     pki_ossl_time(X509_CRL_get0_nextUpdate(crl), &ev->next_update) !=
		     0)) {
		ev->status = TTE_RS_INVALID;
		ev->problem = "unreadable thisUpdate or nextUpdate";
		tte_cert_add_rev(c, ev);
		return;
	}
	/* RFC 5280 §6.3.3 (f): signed by the issuer's key with cRLSign
	 * allowed (keyUsage absent means any use), or by another valid key
	 * of the same issuer. */
	if (indirect || ik == NULL || X509_CRL_verify(crl, ik) != 1 ||
	    (X509_get_key_usage(issuer) & KU_CRL_SIGN) == 0) {
		int sig_ok = !indirect && ik != NULL &&
			     X509_CRL_verify(crl, ik) == 1;

		ERR_clear_error();
		other = other_crl_signer(cx, crl, issuer);
		if (other == NULL) {
			ev->status = TTE_RS_INVALID;
			ev->problem = sig_ok ?
				"its issuer's keyUsage does not allow cRLSign" :
				"its signature does not verify with the issuer's "
				"key nor with another valid CRL key of that issuer";
			tte_cert_add_rev(c, ev);
			return;
		}
		ev->source = indirect ?
			arena_printf(a, "indirect CRL of '%s'",
				     pki_ossl_name(X509_CRL_get_issuer(crl), a)) :
			arena_printf(a, "CRL of '%s' (signed with a separate "
				     "CRL key)", c->issuer);
	}
	skip = crl_scope(crl, cert, &partial, &ev->reasons);
	if (skip != NULL)
		return; /* another CRL of this issuer covers the certificate */
	/* 1: listed; 2: listed with removeFromCRL (a lifted hold). */
	if (X509_CRL_get0_by_cert(crl, &rev, cert) <= 0)
		rev = NULL;
	ERR_clear_error();
	ev->problem = unhandled_critical(crl, rev);
	if (ev->problem != NULL) {
		ev->status = TTE_RS_INVALID;
		tte_cert_add_rev(c, ev);
		return;
	}
	if (rev == NULL) {
		if (partial)
			return;
		ev->status = TTE_RS_GOOD;
		tte_cert_add_rev(c, ev);
		return;
	}
	reason = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, NULL, NULL);
	code = reason != NULL ? ASN1_ENUMERATED_get(reason) : -1;
	ASN1_ENUMERATED_free(reason);
	ERR_clear_error();
	if (code == CRL_REASON_REMOVE_FROM_CRL) {
		/* A delta CRL lifting a hold (RFC 5280 §5.3.1): good now. */
		ev->status = TTE_RS_GOOD;
		ev->reason = "removeFromCRL";
		tte_cert_add_rev(c, ev);
		return;
	}
	ev->status = TTE_RS_REVOKED;
	if (pki_ossl_time(X509_REVOKED_get0_revocationDate(rev),
			  &ev->revoked_at) != 0)
		ev->revoked_at = INT64_MIN; /* unreadable: revoked since always */
	ev->reason = code >= 0 ? arena_strdup(a, reason_name((int)code)) : NULL;
	ev->hold = code == CRL_REASON_CERTIFICATE_HOLD;
	tte_cert_add_rev(c, ev);
}

static void
revocation(const struct crl_ctx *cx, X509 *cert, X509 *issuer,
	   struct tte_cert *c)
{
	const struct pki_store *s = cx->s;
	const struct pki_pool *doc = cx->doc;
	STACK_OF(X509) *untrusted = cx->untrusted;
	struct arena *a = cx->a;
	STACK_OF(X509_CRL) *extra = doc != NULL ? doc->crls : NULL;
	struct pki_ocsp_responder_check rc;

	for (int i = 0; i < sk_X509_CRL_num(s->crls); i++)
		crl_lookup(cx, sk_X509_CRL_value(s->crls, i), cert, issuer, c);
	rc.status = responder_status;
	rc.arg = (void *)cx;
	pki_ocsp_evidence(s->ocsps, cert, issuer, untrusted, &rc, a, c);
	if (doc != NULL)
		pki_ocsp_evidence(doc->ocsps, cert, issuer, untrusted, &rc, a,
				  c);
	for (int i = 0; extra != NULL && i < sk_X509_CRL_num(extra); i++) {
		X509_CRL *crl = sk_X509_CRL_value(extra, i);
		int dup = 0;

		/* The document may carry a CRL the user also gave. */
		for (int k = 0; k < sk_X509_CRL_num(s->crls) && !dup; k++)
			dup = X509_CRL_match(crl, sk_X509_CRL_value(s->crls, k)) == 0;
		if (!dup)
			crl_lookup(cx, crl, cert, issuer, c);
	}
}

static int
is_anchor(STACK_OF(X509) *anchors, X509 *x)
{
	for (int i = 0; i < sk_X509_num(anchors); i++) {
		if (X509_cmp(sk_X509_value(anchors, i), x) == 0)
			return 1;
	}
	return 0;
}

static int
pinned(const struct pki_store *s, X509 *x)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!X509_digest(x, EVP_sha256(), md, &len) || len != 32)
		return 0;
	for (size_t i = 0; i < s->n_pins; i++) {
		if (memcmp(s->pins[i], md, 32) == 0)
			return 1;
	}
	return 0;
}

/*
 * The store's anchors plus every certificate of the document whose
 * SHA-256 is pinned (pki_store_add_pin), in *out (a new stack that does
 * not own its certificates), or NULL in *out when none is pinned.
 */
static tte_err
pinned_anchors(const struct pki_store *s, STACK_OF(X509) *untrusted,
	       const struct pki_pool *doc, STACK_OF(X509) **out,
	       struct diag *d)
{
	STACK_OF(X509) *pools[2] = {untrusted, doc != NULL ? doc->certs : NULL};
	STACK_OF(X509) *t = NULL;
	tte_err rc = TTE_OK;

	*out = NULL;
	if (s->n_pins == 0)
		goto out;
	for (int p = 0; p < 2; p++) {
		for (int i = 0; pools[p] != NULL && i < sk_X509_num(pools[p]);
		     i++) {
			X509 *x = sk_X509_value(pools[p], i);

			if (!pinned(s, x) || (t != NULL && is_anchor(t, x)))
				continue;
			if (t == NULL) {
				t = sk_X509_dup(s->anchors);
				ENSURE(t != NULL, TTE_E_NOMEM, d, "anchors");
			}
			ENSURE(sk_X509_push(t, x) > 0, TTE_E_NOMEM, d,
			       "anchors");
		}
	}
	*out = t;
	t = NULL;
out:
	sk_X509_free(t);
	return rc;
}

/* see pki_chain.h */
tte_err
pki_chain_check(const struct pki_store *s, X509 *leaf,
		STACK_OF(X509) *untrusted, const struct pki_pool *doc,
		struct arena *a, struct tte_sig *sig, struct diag *d)
{
	X509_STORE_CTX *ctx = NULL;
	STACK_OF(X509) *chain, *trusted = NULL;
	struct chain_errors ce = {TTE_CHAIN_FOUND, 0, 0};
	struct tte_cert *c, *prev = NULL;
	struct crl_ctx cx;
	const ASN1_OBJECT *any;
	int n;
	tte_err rc = TTE_OK;

	ERR_clear_error();
	ctx = X509_STORE_CTX_new();
	ENSURE(ctx != NULL, TTE_E_NOMEM, d, "building a chain");
	if (!X509_STORE_CTX_init(ctx, s->x509_store, leaf, untrusted)) {
		rc = pki_ossl_fail(d, TTE_E_CRYPTO, "cannot start chain building");
		goto out;
	}
	TRY(pinned_anchors(s, untrusted, doc, &trusted, d));
	if (trusted != NULL)
		X509_STORE_CTX_set0_trusted_stack(ctx, trusted);
	/* Time is judged by verdict.c against the best signature time; an
	 * anchor the user gave need not be self-signed. */
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME |
					      X509_V_FLAG_PARTIAL_CHAIN |
					      X509_V_FLAG_POLICY_CHECK);
	/* RFC 5280 §6.1: certificate policy processing with the initial
	 * set anyPolicy; which policies a signer must hold is the policy
	 * engine's question (issue 5). */
	any = OBJ_nid2obj(NID_any_policy);
	if (any == NULL || !X509_VERIFY_PARAM_add0_policy(
				   X509_STORE_CTX_get0_param(ctx),
				   OBJ_dup(any))) {
		rc = pki_ossl_fail(d, TTE_E_CRYPTO, "cannot set the policy set");
		goto out;
	}
	X509_STORE_CTX_set_app_data(ctx, &ce);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	(void)X509_verify_cert(ctx); /* every error went to verify_cb */
	ERR_clear_error();

	chain = X509_STORE_CTX_get0_chain(ctx);
	n = chain == NULL ? 0 : sk_X509_num(chain);
	cx.s = s;
	cx.doc = doc;
	cx.untrusted = untrusted;
	cx.trusted = trusted;
	cx.anchor = n > 0 && ce.status != TTE_CHAIN_NO_ANCHOR ?
			    sk_X509_value(chain, n - 1) : NULL;
	cx.a = a;
	if (n == 0) {
		/* Building stopped before it began: report the leaf alone. */
		sig->chain = pki_cert_info(leaf, a);
		if (ce.status == TTE_CHAIN_FOUND)
			ce.status = TTE_CHAIN_NO_ANCHOR;
	}
	for (int i = 0; i < n; i++) {
		X509 *x = sk_X509_value(chain, i);

		c = pki_cert_info(x, a);
		ENSURE(c != NULL, TTE_E_NOMEM, d, "certificate facts");
		c->is_anchor = ce.status != TTE_CHAIN_NO_ANCHOR &&
			       i == n - 1 &&
			       is_anchor(trusted != NULL ? trusted : s->anchors,
					 x);
		if (!c->is_anchor && i + 1 < n)
			revocation(&cx, x, sk_X509_value(chain, i + 1), c);
		if (prev == NULL)
			sig->chain = c;
		else
			prev->next = c;
		prev = c;
	}
	if (ce.status == TTE_CHAIN_FOUND && (n == 0 || prev == NULL ||
					     !prev->is_anchor))
		ce.status = TTE_CHAIN_NO_ANCHOR;
	sig->chain_status = ce.status;
	if (ce.status != TTE_CHAIN_FOUND)
		sig->chain_msg = arena_printf(a, "%s (at depth %d)",
			ce.err != 0 ? X509_verify_cert_error_string(ce.err) :
				      "no trust anchor at the top of the chain",
			ce.depth);
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(trusted); /* the certificates are not its own */
	return rc;
}
