/* SPDX-License-Identifier: MIT */
/*
 * A block device's ioctls, as blockdev, lsblk, mkfs and fdisk make them:
 * sizes and geometry read back (BLKGETSIZE64 [N] ...), settings written
 * (BLKROSET [0], BLKRASET 256), byte ranges (BLKDISCARD [0, 0]) and a bad
 * pointer. tests/oracle/blk_ioctls.t compares the lines with strace's.
 *   blk_ioctls DEVICE    exits 77 when DEVICE cannot be opened
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd = argc > 1 ? open(argv[1], O_RDONLY) : -1;
	uint64_t u64 = 0, range[2] = { 0, 0 };
	unsigned long ul = 0;
	unsigned int ui = 0;
	unsigned short us = 0;
	long l = 0;
	int i = 0;

	if (fd < 0)
		return 77;
	ioctl(fd, BLKGETSIZE64, &u64);
	ioctl(fd, BLKGETSIZE, &ul);
	ioctl(fd, BLKSSZGET, &i);
	ioctl(fd, BLKPBSZGET, &ui);
	ioctl(fd, BLKIOMIN, &ui);
	ioctl(fd, BLKIOOPT, &ui);
	ioctl(fd, BLKALIGNOFF, &i);
	ioctl(fd, BLKROGET, &i);
	ioctl(fd, BLKBSZGET, &i);
	ioctl(fd, BLKSECTGET, &us);
	ioctl(fd, BLKROTATIONAL, &us);
	ioctl(fd, BLKDISCARDZEROES, &ui);
	ioctl(fd, BLKRAGET, &l);
	ioctl(fd, BLKFRAGET, &l);
	ioctl(fd, BLKGETDISKSEQ, &u64);
	/* read back and set again: no change to the device */
	ioctl(fd, BLKROGET, &i);
	ioctl(fd, BLKROSET, &i);
	ioctl(fd, BLKRAGET, &l);
	ioctl(fd, BLKRASET, l);
	ioctl(fd, BLKFRAGET, &l);
	ioctl(fd, BLKFRASET, l);
	/* refused on a read-only descriptor (EBADF) or by the device */
	ioctl(fd, BLKDISCARD, range);
	ioctl(fd, BLKZEROOUT, range);
	ioctl(fd, BLKSECDISCARD, range);
	i = 0;
	ioctl(fd, BLKBSZSET, &i);
	/* a bad pointer: the address, as for any call that failed */
	ioctl(fd, BLKGETSIZE64, (void *)1);
	ioctl(fd, BLKROSET, (void *)1);
	printf("blk_ioctls: done\n");
	return 0;
}
