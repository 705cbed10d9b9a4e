/*
 * diag.h - per-document diagnostics: the first error recorded, with its
 * message and source location. Never global: every document (and every
 * worker) owns its own struct diag.
 */
#ifndef TTE_DIAG_H
#define TTE_DIAG_H

#include "err.h"

#define DIAG_MSG_MAX 512 /* longest message kept; longer ones are cut */

struct diag {
	tte_err code;           /* TTE_OK until something fails */
	char msg[DIAG_MSG_MAX]; /* lower case, no full stop (STYLE.md 14) */
	const char *file;       /* where it was raised, for debugging */
	int line;
};

/* Resets d to "no error". */
void diag_clear(struct diag *d);

#endif
