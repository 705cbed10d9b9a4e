/*
 * err.h - the one error idiom (STYLE.md rule 3).
 *
 * Fallible functions return tte_err (TTE_OK is 0) and are declared
 * TTE_MUST_USE. Inside them, TRY/ENSURE/BAIL record the failure in the
 * caller's struct diag, set the local `rc` and jump to the single `out:`
 * label, where everything the function owns is released.
 */
#ifndef TTE_ERR_H
#define TTE_ERR_H

#define TTE_MUST_USE __attribute__((warn_unused_result))

typedef enum {
#define ERR(code, en, id) code,
#include "errors.def"
#undef ERR
	TTE_E__COUNT
} tte_err;

struct diag;

/* Records code and message in diag (which may be NULL); returns code. */
tte_err diag_set(struct diag *d, tte_err code, const char *file, int line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Run a fallible call; on error keep its diag and leave through out:. */
#define TRY(call)                                                              \
	do {                                                                   \
		rc = (call);                                                   \
		if (rc != TTE_OK)                                              \
			goto out;                                              \
	} while (0)

/* Fail with code and a formatted message unless cond holds. */
#define ENSURE(cond, code, d, ...)                                             \
	do {                                                                   \
		if (!(cond)) {                                                 \
			rc = diag_set((d), (code), __FILE__, __LINE__,         \
				      __VA_ARGS__);                            \
			goto out;                                              \
		}                                                              \
	} while (0)

/* Fail unconditionally with code and a formatted message. */
#define BAIL(code, d, ...)                                                     \
	do {                                                                   \
		rc = diag_set((d), (code), __FILE__, __LINE__, __VA_ARGS__);   \
		goto out;                                                      \
	} while (0)

/* Short English message for a code (never NULL). */
const char *tte_err_str(tte_err code);

#endif
