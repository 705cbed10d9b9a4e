/*
 * pdf_doc_fuzz.c - the PDF lexer, object parser, cross-reference reader,
 * repair scan, revisions, object streams and stream filters on one input.
 *
 * Target functions: pdf_lex_next, pdf_parse_obj, pdf_obj_equal,
 * pdf_doc_open, pdf_doc_object, pdf_doc_resolve, pdf_doc_get,
 * pdf_doc_stream, pdf_doc_entry, pdf_doc_rev_ending_at.
 *
 * The input is read twice: as a flat run of tokens and objects from byte
 * 0 (the lexer and parser alone), then as a file (every object each
 * section defines, as of that section's revision, and each stream
 * decoded).
 */
#include <stddef.h>
#include <stdint.h>

#include "../../verifier/pdf/pdf_doc.h"
#include "fuzz.h"

/* Objects loaded per input: enough for every seed, few enough that one
 * input with a million entries does not make the run slow by itself. */
#define FUZZ_MAX_OBJECTS 4096

/* Lexes, then parses, from byte 0 until the first error or the end. */
static void
flat(const uint8_t *data, size_t size, struct arena *a)
{
	struct pdf_lex lx;
	struct pdf_tok t;
	struct pdf_obj *o, *prev = NULL;
	struct diag d;

	pdf_lex_init(&lx, data, size, a);
	diag_clear(&d);
	while (pdf_lex_next(&lx, &t, &d) == TTE_OK && t.kind != PDF_TOK_EOF)
		(void)pdf_tok_is(&t, "obj");
	pdf_lex_init(&lx, data, size, a);
	while (pdf_parse_obj(&lx, &o, &d) == TTE_OK) {
		(void)pdf_obj_equal(o, o, data, data);
		if (prev != NULL)
			(void)pdf_obj_equal(prev, o, data, data);
		(void)pdf_dict_get(o, "Type");
		prev = o;
	}
}

static void
document(const uint8_t *data, size_t size, struct arena *a)
{
	struct pdf_doc *pd = NULL;
	struct diag d;
	size_t loaded = 0;

	diag_clear(&d);
	if (pdf_doc_open(data, size, a, &pd, &d) != TTE_OK)
		return;
	for (size_t s = 0; s < pd->n_secs; s++) {
		const struct pdf_section *sec = &pd->secs[s];

		for (size_t i = 0; i < sec->n && loaded < FUZZ_MAX_OBJECTS;
		     i++, loaded++) {
			struct pdf_obj *o = NULL, *r = NULL;
			const uint8_t *sd;
			size_t slen, in;

			diag_clear(&d);
			(void)pdf_doc_entry(pd, s, sec->nums[i], &in);
			if (pdf_doc_object(pd, s, sec->nums[i], &o, &d) !=
				    TTE_OK ||
			    o == NULL)
				continue;
			IGNORE(pdf_doc_resolve(pd, s, o, &r, &d));
			if (o->kind == PDF_STREAM)
				IGNORE(pdf_doc_stream(pd, s, o, &sd, &slen, &d));
		}
		diag_clear(&d);
		(void)pdf_doc_get(pd, s, sec->trailer, "Root", &d);
		(void)pdf_doc_get(pd, s, sec->trailer, "Info", &d);
		(void)pdf_doc_rev_ending_at(pd, sec->eof_end);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;

	arena_init(&a);
	flat(data, size, &a);
	document(data, size, &a);
	arena_release(&a);
	return 0;
}
