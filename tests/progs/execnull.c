/* SPDX-License-Identifier: MIT */
/*
 * execve with an environment the program built itself: argv[1] selects an
 * empty envp ("empty"), a NULL envp ("null"), or one with only FOO=bar
 * ("foo"); the new image is `cat /etc/hostname`, which must still be traced.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *args[] = { "cat", "/etc/hostname", NULL };
	char *empty[] = { NULL };
	char *foo[] = { "FOO=bar", NULL };
	char **env = empty;

	if (argc > 1 && !strcmp(argv[1], "null"))
		env = NULL;
	else if (argc > 1 && !strcmp(argv[1], "foo"))
		env = foo;
	execve("/bin/cat", args, env);
	perror("execve");
	return 1;
}
