/* SPDX-License-Identifier: MIT */
/*
 * An open returns the lowest free descriptor: for each emulated tracefs
 * file opened read-only, write-only and read-write (where the kernel
 * allows it), is the number the lowest one free before the call? Prints
 * "PATH MODE lowest", "PATH MODE got N, lowest L" or "PATH MODE errno".
 * For tests/uevent/tfs_open_number.t.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const paths[] = {
	"/sys/kernel/tracing/user_events_status",
	"/sys/kernel/tracing/available_events",
	"/sys/kernel/tracing/set_event",
	"/sys/kernel/tracing/tracing_on",
	"/sys/kernel/tracing/user_events_data",
};

int main(void)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR };
	static const char *const names[] = { "r", "w", "rw" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		for (int m = 0; m < 3; m++) {
			int lowest = dup(0), fd;

			close(lowest);
			fd = open(paths[i], modes[m] | O_CLOEXEC);
			if (fd < 0)
				printf("%s %s %s\n", paths[i], names[m],
				       strerror(errno));
			else if (fd == lowest)
				printf("%s %s lowest\n", paths[i], names[m]);
			else
				printf("%s %s got %d, lowest %d\n", paths[i],
				       names[m], fd, lowest);
			if (fd >= 0)
				close(fd);
		}
	return 0;
}
