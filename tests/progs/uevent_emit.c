/* SPDX-License-Identifier: MIT */
/*
 * uevent_emit NAME_ARGS V...: registers the event NAME_ARGS (one u32
 * field) on a user_events_data file of its own and writes it once per V,
 * through the uapi only, for shell-driven tests
 * (tests/uevent/tracefs_kept_across_exec.t). Prints nothing; exits 1
 * when a call fails (0 when the write is EBADF: no tracer has it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "uevent_calls.h"

static volatile uint32_t on;

int main(int argc, char **argv)
{
	uint32_t index = 99;
	int fd;

	if (argc < 2)
		return 2;
	fd = open("/sys/kernel/tracing/user_events_data", O_RDWR);
	if (fd < 0 || reg(fd, argv[1], &on, 0, &index) < 0)
		return 1;
	for (int i = 2; i < argc; i++)
		if (emit(fd, index, (uint32_t)strtoul(argv[i], 0, 0)) < 0 &&
		    errno != EBADF)
			return 1;
	return 0;
}
