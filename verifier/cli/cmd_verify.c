#include <stdio.h>

#include "cli.h"

int
cmd_verify(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "tteaudit verify: under construction\n");
	return CLI_EXIT_USAGE;
}
