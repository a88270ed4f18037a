/* SPDX-License-Identifier: MIT */
/*
 * A network interface's ioctls (struct ifreq), as ifconfig, ip and
 * glibc's if_nametoindex make them: each get on the loopback interface
 * and on one that does not exist, and sets refused (an interface that does
 * not exist: ENODEV, nothing changed). tests/oracle/ifreq_ioctls.t
 * compares the lines with strace's.
 */
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int s;

static void named(unsigned long cmd, const char *name, int val)
{
	struct ifreq r;

	memset(&r, 0, sizeof(r));
	snprintf(r.ifr_name, sizeof(r.ifr_name), "%s", name);
	r.ifr_ifru.ifru_ivalue = val;
	ioctl(s, cmd, &r);
}

int main(void)
{
	static const unsigned long gets[] = {
		SIOCGIFINDEX, SIOCGIFFLAGS, SIOCGIFMTU, SIOCGIFADDR,
		SIOCGIFNETMASK, SIOCGIFBRDADDR, SIOCGIFDSTADDR, SIOCGIFHWADDR,
		SIOCGIFTXQLEN, SIOCGIFMETRIC,
	};
	static const unsigned long sets[] = {
		SIOCSIFFLAGS, SIOCSIFMTU, SIOCSIFMETRIC, SIOCSIFTXQLEN,
		SIOCSIFNAME, SIOCSIFHWADDR, SIOCSIFADDR, SIOCSIFNETMASK,
	};
	struct ifreq r;

	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return 77;
	for (size_t i = 0; i < sizeof(gets) / sizeof(gets[0]); i++) {
		named(gets[i], "lo", 0);
		named(gets[i], "nosuch0", 0);
	}
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		named(sets[i], "nosuch0", 1);
	memset(&r, 0, sizeof(r));
	r.ifr_ifindex = 1;
	ioctl(s, SIOCGIFNAME, &r);
	r.ifr_ifindex = 1 << 30;
	ioctl(s, SIOCGIFNAME, &r);
	ioctl(s, SIOCGIFINDEX, (void *)1);
	printf("ifreq_ioctls: %u\n", if_nametoindex("lo"));
	return 0;
}
