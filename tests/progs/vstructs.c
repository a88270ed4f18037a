// SPDX-License-Identifier: MIT
/*
 * The structures strace abbreviates without -v and expands with it
 * (tests/decode/verbose.t): a terminal's termios (TCGETS, TCSETS on a
 * pseudo-terminal), uname, getrusage, and execve's environment.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
	char *argv[] = { "true", NULL };
	char *envp[] = { "A=1", "B=two words", "C=\"quoted\"", NULL };
	struct utsname u;
	struct rusage r;
	struct termios t;
	int m = posix_openpt(O_RDWR | O_NOCTTY), s;

	if (m < 0 || grantpt(m) || unlockpt(m))
		return 2;
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	if (s < 0 || tcgetattr(s, &t))
		return 2;
	tcsetattr(s, TCSANOW, &t);
	uname(&u);
	getrusage(RUSAGE_SELF, &r);
	execve("/bin/true", argv, envp);
	return 1;
}
