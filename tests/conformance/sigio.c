/* Signal-driven I/O: O_ASYNC through fcntl and FIOASYNC, owners (F_SETOWN, F_SETOWN_EX,
 * FIOSETOWN) and their checks, F_SETSIG's siginfo (si_code, si_band, si_fd: the descriptor
 * O_ASYNC was turned on through), SIGIO without F_SETSIG; SIOCGIFCONF on sockets. */
#include "cf.h"
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static volatile int nsig, last_sig, last_code, last_fd;
static volatile long last_band;

static void
on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	nsig++;
	last_sig = sig;
	last_code = si->si_code;
	last_band = si->si_band;
	last_fd = si->si_fd;
}

static void
catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(sig, &sa, NULL);
}

static void
reset(void)
{
	nsig = last_sig = last_code = last_fd = 0;
	last_band = 0;
}

static void
set_async(int fd, int sig)
{
	fcntl(fd, F_SETOWN, getpid());
	fcntl(fd, F_SETSIG, sig);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC);
}

static void
report(const char *what, int fd)
{
	printf("%s: signals %d sig %s", what, nsig, nsig ? sigabbrev_np(last_sig) : "-");
	if (nsig && last_sig != SIGIO)
		printf(" code %d band %#lx fd-match %s", last_code, last_band,
		       last_fd == fd ? "yes" : "no");
	printf("\n");
}

int
main(void)
{
	int p[2], s[2], d, v;
	char buf[16];

	cf_init();
	catch(SIGIO);
	catch(SIGUSR1);
	catch(SIGUSR2);

	/* owners: checks */
	pipe(p);
	R("F_SETOWN unused pid", fcntl(p[0], F_SETOWN, 12345678));
	R("F_SETOWN unused group", fcntl(p[0], F_SETOWN, -12345678));
	R("F_SETOWN INT_MIN", fcntl(p[0], F_SETOWN, INT_MIN));
	R("F_SETOWN self", fcntl(p[0], F_SETOWN, getpid()));
	YN("F_GETOWN is self", fcntl(p[0], F_GETOWN) == getpid());
	R("F_SETOWN 0", fcntl(p[0], F_SETOWN, 0));
	R("F_GETOWN after 0", fcntl(p[0], F_GETOWN));
	struct f_owner_ex ox = { F_OWNER_TID, 12345678 };
	R("F_SETOWN_EX unused tid", fcntl(p[0], F_SETOWN_EX, &ox));
	ox.type = F_OWNER_PGRP;
	R("F_SETOWN_EX unused group", fcntl(p[0], F_SETOWN_EX, &ox));
	ox.type = F_OWNER_PID;
	ox.pid = 0;
	R("F_SETOWN_EX pid 0", fcntl(p[0], F_SETOWN_EX, &ox));
	R("F_SETSIG 65", fcntl(p[0], F_SETSIG, 65));

	/* pipe, F_SETSIG SIGUSR1: one signal per write, with the siginfo */
	reset();
	set_async(p[0], SIGUSR1);
	report("after O_ASYNC only", p[0]);
	write(p[1], "ab", 2);
	report("pipe write", p[0]);
	reset();
	write(p[1], "cd", 2);
	report("pipe second write", p[0]);
	read(p[0], buf, sizeof(buf));
	/* a dup: the same file, the signal names the first descriptor */
	d = dup(p[0]);
	set_async(d, SIGUSR2);
	reset();
	write(p[1], "x", 1);
	report("dup registered too", p[0]);
	close(p[0]);
	read(d, buf, sizeof(buf));
	reset();
	write(p[1], "y", 1);
	report("first descriptor closed", p[0]);
	/* F_SETSIG 0: plain SIGIO */
	fcntl(d, F_SETSIG, 0);
	read(d, buf, sizeof(buf));
	reset();
	write(p[1], "z", 1);
	report("F_SETSIG 0", d);
	/* O_ASYNC off: nothing */
	fcntl(d, F_SETFL, fcntl(d, F_GETFL) & ~O_ASYNC);
	read(d, buf, sizeof(buf));
	reset();
	write(p[1], "w", 1);
	report("O_ASYNC off", d);
	close(d);
	close(p[1]);

	/* sockets: FIOASYNC, FIOSETOWN, FIOGETOWN, SIOCGPGRP */
	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s);
	v = -1;
	R("FIOGETOWN", ioctl(s[1], FIOGETOWN, &v));
	R("FIOGETOWN value", v);
	R("FIOASYNC NULL", ioctl(s[1], FIOASYNC, NULL));
	v = 1;
	R("FIOASYNC on", ioctl(s[1], FIOASYNC, &v));
	YN("F_GETFL has O_ASYNC", fcntl(s[1], F_GETFL) & O_ASYNC);
	reset();
	write(s[0], "abc", 4);
	report("socket, no owner", s[1]);
	read(s[1], buf, sizeof(buf));
	v = getpid();
	R("FIOSETOWN self", ioctl(s[1], FIOSETOWN, &v));
	v = 0;
	R("SIOCGPGRP", ioctl(s[1], SIOCGPGRP, &v));
	YN("SIOCGPGRP is self", v == getpid());
	reset();
	write(s[0], "abc", 4);
	report("socket, owner self", s[1]);
	read(s[1], buf, sizeof(buf));
	v = 12345678;
	R("FIOSETOWN unused pid", ioctl(s[1], FIOSETOWN, &v));
	v = 0;
	R("FIOSETOWN 0", ioctl(s[1], FIOSETOWN, &v));
	reset();
	write(s[0], "abc", 4);
	report("socket, owner unset", s[1]);
	v = 0;
	R("FIOASYNC off", ioctl(s[1], FIOASYNC, &v));
	YN("F_GETFL has O_ASYNC after off", fcntl(s[1], F_GETFL) & O_ASYNC);
	close(s[1]);
	close(s[0]);

	/* files that cannot signal */
	int n = open("/dev/null", O_RDONLY);
	R("FIOASYNC /dev/null NULL", ioctl(n, FIOASYNC, NULL));
	v = 1;
	R("FIOASYNC /dev/null", ioctl(n, FIOASYNC, &v));
	R("FIOSETOWN /dev/null", ioctl(n, FIOSETOWN, &v));
	R("FIOGETOWN /dev/null", ioctl(n, FIOGETOWN, &v));
	close(n);

	/* SIOCGIFCONF: the loopback interface is among those listed */
	int sk = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifconf ic;
	struct ifreq ifr[32];
	memset(&ic, 0, sizeof(ic));
	R("SIOCGIFCONF no buffer", ioctl(sk, SIOCGIFCONF, &ic));
	YN("SIOCGIFCONF length > 0", ic.ifc_len > 0);
	YN("SIOCGIFCONF length whole ifreqs", ic.ifc_len % (int)sizeof(struct ifreq) == 0);
	memset(ifr, 0, sizeof(ifr));
	ic.ifc_len = sizeof(struct ifreq) - 1;
	ic.ifc_req = ifr;
	R("SIOCGIFCONF short buffer", ioctl(sk, SIOCGIFCONF, &ic));
	R("SIOCGIFCONF short buffer length", ic.ifc_len);
	ic.ifc_len = sizeof(ifr);
	R("SIOCGIFCONF", ioctl(sk, SIOCGIFCONF, &ic));
	int lo = 0;
	for (int i = 0; i < ic.ifc_len / (int)sizeof(struct ifreq); i++) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ifr[i].ifr_addr;
		if (!strcmp(ifr[i].ifr_name, "lo") && sin->sin_family == AF_INET &&
		    sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK))
			lo = 1;
	}
	YN("SIOCGIFCONF lists lo 127.0.0.1", lo);
	ic.ifc_len = sizeof(struct ifreq);
	ic.ifc_req = cf_unmapped();
	R("SIOCGIFCONF bad buffer", ioctl(sk, SIOCGIFCONF, &ic));
	R("SIOCGIFCONF bad ifconf", ioctl(sk, SIOCGIFCONF, cf_unmapped()));
	close(sk);
	int us = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&ic, 0, sizeof(ic));
	R("SIOCGIFCONF unix socket", ioctl(us, SIOCGIFCONF, &ic));
	YN("SIOCGIFCONF unix length > 0", ic.ifc_len > 0);
	close(us);
	return 0;
}
