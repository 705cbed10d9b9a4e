/*
 * policy_load_fuzz.c - a validation policy file as a hostile user might
 * write it: libxml2's parse without DTDs or entities, the schema, the
 * meaning checks (dates, OIDs, pins, duplicates, anchor files), and the
 * show of whatever loads.
 *
 * Target functions: policy_load_buffer, policy_show, policy_free.
 *
 * The input is the XML; anchor files are resolved against TTE_POLICY_DIR
 * so that seeds can name osd-lu-kelas-2.pem. Lint runs the same passes
 * as load (policy_load.c check()), so it is not called again here.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../policy/policy.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null; /* opened once, reachable at exit */
	struct policy *p = NULL;
	struct diag d;

	if (null == NULL) {
		null = fopen("/dev/null", "w");
		if (null == NULL)
			abort();
	}
	diag_clear(&d);
	if (policy_load_buffer("fuzz.xml", data, size, TTE_POLICY_DIR, &p,
			       &d) == TTE_OK)
		policy_show(p, null);
	policy_free(p);
	return 0;
}
