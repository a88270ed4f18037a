/* SPDX-License-Identifier: MIT */
/*
 * Known calls for tests/ctf/record.t: open argv[1], read 11 bytes of it,
 * write them to standard output; a signal to its own handler; a thread
 * that calls getppid; a child that exits 3.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig)
{
	(void)sig;
}

static void *thread(void *arg)
{
	(void)arg;
	getppid();
	return NULL;
}

int main(int argc, char **argv)
{
	char buf[64];
	pthread_t th;
	int fd, st;
	ssize_t n;
	pid_t c;

	if (argc < 2)
		return 2;
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	n = read(fd, buf, 11);
	if (n != 11 || write(1, buf, 11) != 11)
		return 1;
	close(fd);
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	if (pthread_create(&th, NULL, thread, NULL) || pthread_join(th, NULL))
		return 1;
	c = fork();
	if (c == 0)
		_exit(3);
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 3)
		return 1;
	return 0;
}
