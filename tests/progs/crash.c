/* SPDX-License-Identifier: MIT */
/* crash: raise the core-dumping RLIMIT_CORE to its maximum and abort. */
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

int main(void)
{
	struct rlimit r;

	getrlimit(RLIMIT_CORE, &r);
	r.rlim_cur = r.rlim_max;
	setrlimit(RLIMIT_CORE, &r);
	abort();
}
