#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const messages_en[] = {
#define ERR(code, en, id) en,
#include "errors.def"
#undef ERR
};

void
diag_clear(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

/* see err.h */
tte_err
diag_set(struct diag *d, tte_err code, const char *file, int line,
	 const char *fmt, ...)
{
	va_list ap;

	/* Keep the first failure: later ones are usually its consequences. */
	if (d == NULL || d->code != TTE_OK)
		return code;
	d->code = code;
	d->file = file;
	d->line = line;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return code;
}

/* see err.h */
const char *
tte_err_str(tte_err code)
{
	if ((unsigned)code >= TTE_E__COUNT)
		return "unknown error";
	return messages_en[code];
}
