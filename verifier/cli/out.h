/* out.h - writers of one document's result: JSON Lines and plain text. */
#ifndef TTE_OUT_H
#define TTE_OUT_H

#include <stdio.h>

#include "../tteaudit.h"

enum out_lang { OUT_LANG_EN, OUT_LANG_ID };

/* One JSON object on one line, in the DESIGN.md shape. */
void out_json_doc(FILE *f, const struct tte_doc *doc);

/* A readable summary with reasons in plain words. */
void out_text_doc(FILE *f, const struct tte_doc *doc, enum out_lang lang);

/* Writes s as a JSON string (quotes included): escapes what JSON needs
 * and turns bytes that are not UTF-8 into U+FFFD. s may be NULL (null). */
void out_json_str(FILE *f, const char *s);

#endif
