/* SPDX-License-Identifier: MIT */
/*
 * Where the program's signal handlers return under limen's loader (rt.h,
 * LIMEN_HANDLER_RETURN). With liblimen.so, they return to
 * limen_handler_return, whose CFI unwinders find because ld.so lists the
 * library; the loader is in no such list, so a C++ exception thrown out of
 * a handler, backtrace() in a handler or a debugger would stop there. They
 * return instead to a page outside limen's code holding exactly the
 * kernel's and glibc's restorer, `mov $15, %rax; syscall`, which libgcc's
 * unwinder and gdb recognize by its bytes as a signal frame whose
 * ucontext is at the stack pointer, as it is in the frames limen builds.
 * Its `syscall` is outside the exempt range, so it traps, and the SIGSYS
 * handler sends it on to limen_handler_return as if the handler had
 * returned there (one trap more per handler, as for a program's own
 * restorer).
 */
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#define PAGE 4096
static const uint8_t restorer[] = {
	0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, /* mov $15, %rax */
	0x0f, 0x05,                               /* syscall */
};

uint64_t limen_trampoline;

int limen_trampoline_map(void)
{
	long r = limen_sys6(SYS_mmap, 0, PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (limen_is_err(r))
		return (int)r;
	memcpy((void *)r, restorer, sizeof(restorer));
	if (limen_sys3(SYS_mprotect, r, PAGE, PROT_READ | PROT_EXEC) < 0) {
		limen_sys2(SYS_munmap, r, PAGE);
		return -1;
	}
	limen_trampoline = (uint64_t)r;
	return 0;
}

int limen_trampoline_hit(const siginfo_t *si, ucontext_t *uc)
{
	if (!limen_trampoline ||
	    (uint64_t)(uintptr_t)si->si_call_addr !=
		    limen_trampoline + sizeof(restorer))
		return 0;
	/* rsp is the frame's ucontext, as limen_handler_return wants it */
	uc->uc_mcontext.gregs[REG_RIP] =
		(greg_t)(uintptr_t)limen_handler_return;
	return 1;
}
