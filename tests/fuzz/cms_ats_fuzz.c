/*
 * cms_ats_fuzz.c - a CMS (DER or BER) through the archive timestamp
 * reader alone, without OpenSSL's parse in front of it: the bounded BER
 * reader, the SignedData layout, each archive timestamp's hash index,
 * its imprint input (v3 and v2, both variants) and its coverage.
 *
 * Target functions: rd_ber, cms_ats_layout, cms_ats_attr_type,
 * cms_ats_token_index, cms_ats_imprint_match, cms_ats_coverage.
 *
 * The signed content is always FUZZ_CONTENT_RSA2048_TS (as in
 * cms_verify_fuzz), and the imprint compared with is a fixed 32 bytes:
 * what is under test is reading and hashing, not whether it matches.
 * cms_verify_fuzz reaches the same code behind OpenSSL's parse and the
 * token verification.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>

#include "../../verifier/cms/cms_ats.h"
#include "fuzz.h"
#include "fuzz_pki.h"

static const char content[] = FUZZ_CONTENT_RSA2048_TS;

static int
fuzz_one(const uint8_t *data, size_t size)
{
	static const uint8_t want[32] = {0};
	struct cms_part part = {(const unsigned char *)content,
				sizeof(content) - 1};
	struct cms_layout l;
	struct arena a;
	struct diag d;

	arena_init(&a);
	diag_clear(&d);
	if (cms_ats_layout(data, size, &a, &l, &d) != TTE_OK)
		goto out;
	for (size_t s = 0; s < l.n_signers; s++) {
		const struct cms_layout_signer *ls = &l.signers[s];
		int64_t *gen = arena_alloc(&a, (ls->n_attrs + 1) * sizeof(*gen));
		int *pos = arena_alloc(&a, (ls->n_attrs + 1) * sizeof(*pos));
		int n = 0;

		if (gen == NULL || pos == NULL)
			goto out;
		for (size_t i = 0; i < ls->n_attrs; i++) {
			enum cms_ua_type t = ls->attrs[i].type;

			pos[i] = -1;
			/* A made-up order of genTimes: by position. */
			gen[i] = (int64_t)i + 1;
			if ((t == CMS_UA_ATS_V3 || t == CMS_UA_ATS_V2 ||
			     t == CMS_UA_ATS_V1) && n < TTE_ATS_MAX)
				pos[i] = n++;
		}
		for (size_t i = 0; i < ls->n_attrs; i++) {
			const struct cms_uattr *u = &ls->attrs[i];
			struct cms_ats_input in;
			struct tte_sig ats;
			const char *note = NULL, *why = NULL;

			if (pos[i] < 0)
				continue;
			memset(&in, 0, sizeof(in));
			memset(&ats, 0, sizeof(ats));
			in.l = &l;
			in.signer = s;
			in.attr = i;
			in.form = u->type == CMS_UA_ATS_V2 ? TTE_ATS_V2 :
				  u->type == CMS_UA_ATS_V1 ? TTE_ATS_V1 :
							     TTE_ATS_V3;
			in.content = &part;
			in.n_content = 1;
			in.gen_time = gen;
			if (in.form == TTE_ATS_V3 && u->n_values > 0 &&
			    cms_ats_token_index(u->values[0].p, u->values[0].len,
						&a, &in.index, &in.form,
						&why) < 0)
				continue;
			(void)cms_ats_imprint_match(&in, EVP_sha256(), want,
						    sizeof(want), &note, &why);
			cms_ats_coverage(&in, pos, &a, &ats);
		}
	}
out:
	arena_release(&a);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size);
}
