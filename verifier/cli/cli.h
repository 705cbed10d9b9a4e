/* cli.h - what the subcommand files share. */
#ifndef TTE_CLI_H
#define TTE_CLI_H

#define TTEAUDIT_VERSION "0.1.0"

enum {
	CLI_EXIT_OK = 0,     /* every document TOTAL-PASSED */
	CLI_EXIT_NOT_OK = 1, /* at least one document did not pass */
	CLI_EXIT_USAGE = 2,  /* usage error or nothing could be read */
};

/* One function per subcommand; argv[0] is the subcommand's name. */
int cmd_verify(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_rescore(int argc, char **argv);

#endif
