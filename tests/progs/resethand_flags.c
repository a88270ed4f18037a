/* SPDX-License-Identifier: MIT */
/* After a SA_RESETHAND handler fires, sigaction reads back SIG_DFL and the
 * flags as they were (SA_SIGINFO kept); a handler's uc_stack.ss_flags is the
 * thread's sigaltstack flags as last set: 0 in a first thread that never
 * set any, SS_DISABLE in a new thread (tests/syscalls/resethand_flags.t) */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <ucontext.h>
static volatile int ssf = -1;
static void h(int s, siginfo_t *si, void *u) { (void)s; (void)si; ssf = ((ucontext_t *)u)->uc_stack.ss_flags; }
static void *t(void *a) { (void)a; raise(SIGUSR1); printf("thread: uc_stack.ss_flags=%d\n", ssf); return 0; }
int main(void) {
    struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_sigaction = h; sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
    sigaction(SIGUSR2, &sa, 0);
    raise(SIGUSR2);
    struct sigaction o; sigaction(SIGUSR2, 0, &o);
    printf("after SA_RESETHAND fired: handler=%s sa_flags=%#x\n", o.sa_handler == SIG_DFL ? "SIG_DFL" : "set", o.sa_flags);
    printf("main: uc_stack.ss_flags=%d\n", ssf);
    sa.sa_flags = SA_SIGINFO; sigaction(SIGUSR1, &sa, 0);
    pthread_t th; pthread_create(&th, 0, t, 0); pthread_join(th, 0);
    return 0;
}
