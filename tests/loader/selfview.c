/* SPDX-License-Identifier: MIT */
/*
 * What a program sees of itself (tests/loader/static.t): built static (glibc
 * and musl) and run bare and under limen's loader; the output must be the
 * same. With "shows" as argument it prints what limen's loader still shows
 * (README, "limen's loader"), which the test pins.
 */
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;
extern const ElfW(Ehdr) __ehdr_start;
void _start(void);

static void cat(const char *what, const char *path, int nul_to_space)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n < 0)
		n = 0;
	for (ssize_t i = 0; i < n; i++)
		if (nul_to_space && !buf[i])
			buf[i] = ' ';
	buf[n] = 0;
	printf("%s: %s%s", what, buf, n && buf[n - 1] == '\n' ? "" : "\n");
}

/* the value of type t in the kernel's own copy, /proc/self/auxv */
static unsigned long proc_auxv(unsigned long t)
{
	unsigned long v[2 * 64];
	int fd = open("/proc/self/auxv", O_RDONLY);
	ssize_t n = read(fd, v, sizeof(v));

	close(fd);
	for (ssize_t i = 0; i + 1 < n / 8; i += 2)
		if (v[i] == t)
			return v[i + 1];
	return 0;
}

int main(int argc, char **argv)
{
	char exe[4096], head[4];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat a, b;
	int fd, i, limen_vars = 0;

	if (argc > 1 && !strcmp(argv[1], "shows")) {
		/* what limen's loader does not hide (pinned by the test) */
		char maps[1 << 16];
		int m = open("/proc/self/maps", O_RDONLY);
		ssize_t k = read(m, maps, sizeof(maps) - 1);

		close(m);
		maps[k > 0 ? k : 0] = 0;
		printf("maps has limen-loader: %s\n",
		       strstr(maps, "limen-loader") ? "yes" : "no");
		printf("/proc/self/auxv AT_ENTRY is the program's: %s\n",
		       proc_auxv(AT_ENTRY) == getauxval(AT_ENTRY) ? "yes" : "no");
		return 0;
	}
	exe[n > 0 ? n : 0] = 0;
	printf("argc %d argv[0] %s\n", argc, argv[0]);
	printf("exe %s\n", exe);
	printf("AT_EXECFN %s\n", (char *)getauxval(AT_EXECFN));
	printf("AT_ENTRY is _start: %d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
	printf("AT_PHDR is ours: %d\n",
	       getauxval(AT_PHDR) == (unsigned long)&__ehdr_start + __ehdr_start.e_phoff);
	printf("AT_PHNUM %lu (e_phnum %d)\n", getauxval(AT_PHNUM), __ehdr_start.e_phnum);
	printf("AT_BASE %lu\n", getauxval(AT_BASE));
	printf("AT_SECURE %lu\n", getauxval(AT_SECURE));
	cat("cmdline", "/proc/self/cmdline", 1);
	cat("comm", "/proc/self/comm", 0);
	for (i = 0; environ[i]; i++)
		if (!strncmp(environ[i], "LIMEN", 5) || !strncmp(environ[i], "LD_PRELOAD", 10))
			limen_vars++;
	printf("environ: %d entries, %d of limen's\n", i, limen_vars);
	printf("environ follows argv: %d\n", environ == argv + argc + 1);
	fd = open("/proc/self/exe", O_RDONLY);
	printf("open(/proc/self/exe) reads an ELF: %d\n",
	       fd >= 0 && read(fd, head, 4) == 4 && !memcmp(head, ELFMAG, 4));
	if (fd >= 0)
		close(fd);
	printf("stat(/proc/self/exe) is the file: %d\n",
	       stat("/proc/self/exe", &a) == 0 && stat(exe, &b) == 0 &&
		       a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	if (argc > 1 && !strcmp(argv[1], "again")) {
		/* exec ourselves through the link, as some programs do */
		fflush(stdout);
		execl("/proc/self/exe", "selfview-again", (char *)0);
		perror("execl");
		return 1;
	}
	return 4;
}
