// SPDX-License-Identifier: MIT
/*
 * Unit tests of the one-list-per-constant rule: every flag/enum list lives
 * once in tables/xlat.tbl, so a constant the table knows is named wherever
 * the decoder prints that kind of value (the local copies the decoder used
 * to keep had fallen behind the kernel). Also checks the DECODER column:
 * every call that names a decoder has one linked in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "decode/dec_int.h"

#include "harness.h"

#define P1 0x7ffc1234a000ULL

/* SCHED_EXT (7, Linux 6.12) is in the sched_policy list: the return value of
   sched_getscheduler and sched_setscheduler's policy name it alike. */
static void t_sched_policy_names_sched_ext(void)
{
	call("sched_getscheduler", 0, 0, 0, 0, 0, 0);
	ret(7);
	check("sched_getscheduler names SCHED_EXT",
	      "sched_getscheduler(0) = 7 (SCHED_EXT)");
	call("sched_getscheduler", 0, 0, 0, 0, 0, 0);
	ret(4);
	check("sched_getscheduler names SCHED_ISO",
	      "sched_getscheduler(0) = 4 (SCHED_ISO)");
}

/* F_SEAL_EXEC (0x20, Linux 6.3) in F_ADD_SEALS and F_GET_SEALS */
static void t_fcntl_names_seal_exec(void)
{
	call("fcntl", 4, 1033, 0x20, 0, 0, 0);
	ret(0);
	check("fcntl F_ADD_SEALS names F_SEAL_EXEC",
	      "fcntl(4, F_ADD_SEALS, F_SEAL_EXEC) = 0");
	call("fcntl", 4, 1034, 0, 0, 0, 0);
	ret(0x21);
	check("fcntl F_GET_SEALS names F_SEAL_EXEC",
	      "fcntl(4, F_GET_SEALS) = 0x21 (seals F_SEAL_SEAL|F_SEAL_EXEC)");
}

/* The fcntl commands are the fcntl_cmd list: F_GET_RW_HINT (1035) and its
   siblings are named, not printed as numbers. */
static void t_fcntl_names_rw_hint(void)
{
	call("fcntl", 3, 1035, P1, 0, 0, 0);
	ret(0);
	check("fcntl names F_GET_RW_HINT",
	      "fcntl(3, F_GET_RW_HINT, 0x7ffc1234a000) = 0");
	call("fcntl", 3, 1036, P1, 0, 0, 0);
	ret(0);
	check("fcntl names F_SET_RW_HINT",
	      "fcntl(3, F_SET_RW_HINT, 0x7ffc1234a000) = 0");
}

/* F_SETLEASE / F_NOTIFY arguments come from lease_type / dnotify_flags */
static void t_fcntl_lease_notify_lists(void)
{
	call("fcntl", 3, 1024, 1, 0, 0, 0);
	ret(0);
	check("fcntl F_SETLEASE", "fcntl(3, F_SETLEASE, F_WRLCK) = 0");
	call("fcntl", 3, 1026, 0x80000003, 0, 0, 0);
	ret(0);
	check("fcntl F_NOTIFY",
	      "fcntl(3, F_NOTIFY, DN_ACCESS|DN_MODIFY|DN_MULTISHOT) = 0");
}

/* socket's protocol comes from the one ipproto list (the socket decoder's
   own copy lacked IPPROTO_EGP, IPPROTO_DCCP ... that strace 6.1 names). */
static void t_socket_protocol_from_ipproto_list(void)
{
	call("socket", 2, 3, 8, 0, 0, 0);
	ret(3);
	check("socket names IPPROTO_EGP",
	      "socket(AF_INET, SOCK_RAW, IPPROTO_EGP) = 3");
	call("socket", 2, 2, 33, 0, 0, 0);
	ret(-93);
	check("socket names IPPROTO_DCCP",
	      "socket(AF_INET, SOCK_DGRAM, IPPROTO_DCCP) = -1 EPROTONOSUPPORT (Protocol not supported)");
}

/* limen_errname searches xlat.tbl's errno list by halves: it must stay
   sorted, and every name the old by-index table had is still found. */
static void t_errno_list_sorted(void)
{
	const struct limen_xlat *x = &limen_xlats[LIMEN_XLAT_errno];
	const struct limen_xlat_item *it = limen_xlat_items_of(x);
	unsigned k, bad = 0;

	for (k = 1; k < x->n; k++)
		if (it[k - 1].val >= it[k].val)
			bad++;
	check_str("errno list sorted by value", bad ? "no" : "yes", "yes");
	for (k = 0, bad = 0; k < x->n; k++)
		if (limen_errname((int)it[k].val) != limen_str(it[k].name))
			bad++;
	check_str("every errno name found", bad ? "no" : "yes", "yes");
	check_str("ENOENT", limen_errname(2), "ENOENT");
	check_str("ERESTARTSYS", limen_errname(512), "ERESTARTSYS");
	check_str("no name for 0, 134, -1",
		  !limen_errname(0) && !limen_errname(134) && !limen_errname(-1) ?
		  "none" : "some", "none");
}

/* limen_signame indexes xlat.tbl's signals list: item k is signal k + 1,
   1..31. */
static void t_signals_list_dense(void)
{
	const struct limen_xlat *x = &limen_xlats[LIMEN_XLAT_signals];
	char b[16];
	unsigned k, bad = x->n != 31;

	for (k = 0; k < x->n; k++)
		if (limen_xlat_items_of(x)[k].val != k + 1)
			bad++;
	check_str("signals list is 1..31 in order", bad ? "no" : "yes", "yes");
	check_str("SIGHUP", limen_signame(1, b), "SIGHUP");
	check_str("SIGSYS", limen_signame(31, b), "SIGSYS");
	check_str("SIGRTMIN", limen_signame(32, b), "SIGRTMIN");
	check_str("SIGRT_3", limen_signame(35, b), "SIGRT_3");
	check_str("65", limen_signame(65, b), "65");
}

/* Every decoder the table names is linked (a missing one would be a NULL
   hook table entry and the call would print by its types only). */
static void t_every_named_decoder_is_linked(void)
{
	unsigned long nr, bad = 0;

	for (nr = 0; nr < LIMEN_NSYSENT; nr++) {
		const struct limen_sysent *se = &limen_sysent[nr];

		if (se->name && se->decoder &&
		    (se->decoder >= LIMEN_NDEC || !dsys_table[se->decoder])) {
			fprintf(stderr, "# %s: decoder %u not linked\n",
				limen_str(se->name), se->decoder);
			bad++;
		}
	}
	check_str("every DECODER column entry has a decoder", bad ? "no" : "yes",
		  "yes");
}

/* One ioctl table (tables/ioctl.tbl) for the runtime's capture and the
   decoder: what the runtime captures is what the decoder prints. */
static void t_ioctl_table_shared(void)
{
	uint32_t size = 0;
	unsigned k, bad = 0;
	uint8_t ws[8] = { 24, 0, 80, 0, 0, 0, 0, 0 };

	for (k = 1; k < LIMEN_NIOCTL; k++)
		if (limen_ioctls[k - 1].cmd >= limen_ioctls[k].cmd)
			bad++;
	check_str("ioctl table rows ascending", bad ? "no" : "yes", "yes");
	check_str("TCGETS: captured at exit, 36 bytes",
		  limen_ioctl_dir(0x5401, &size) == LIMEN_DIR_OUT && size == 36 ?
		  "yes" : "no", "yes");
	check_str("TIOCSWINSZ: captured at entry, 8 bytes",
		  limen_ioctl_dir(0x5414, &size) == LIMEN_DIR_IN && size == 8 ?
		  "yes" : "no", "yes");
	check_str("TCSBRK: an int by value, nothing captured",
		  limen_ioctl_dir(0x5409, &size) == 0 && size == 0 ? "yes" : "no",
		  "yes");
	/* not listed: _IOW('x', 1, 16 bytes) from its encoding */
	check_str("unlisted _IOW command: in, its _IOC size",
		  limen_ioctl_dir(0x40107801, &size) == LIMEN_DIR_IN && size == 16 ?
		  "yes" : "no", "yes");

	call("ioctl", 1, 0x5413, P1, 0, 0, 0);
	check_str("TIOCGWINSZ's argument is printed at exit",
		  limen_decode_arg_is_out(&C, 2) ? "yes" : "no", "yes");
	OUT(2, ws, sizeof(ws));
	ret(0);
	check("TIOCGWINSZ from the exit capture",
	      "ioctl(1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0");
	call("ioctl", 1, 0x5451, 0, 0, 0, 0);
	ret(0);
	check("FIOCLEX shows two arguments", "ioctl(1, FIOCLEX) = 0");
}

int main(void)
{
	t_sched_policy_names_sched_ext();
	t_fcntl_names_seal_exec();
	t_fcntl_names_rw_hint();
	t_fcntl_lease_notify_lists();
	t_socket_protocol_from_ipproto_list();
	t_errno_list_sorted();
	t_signals_list_dense();
	t_every_named_decoder_is_linked();
	t_ioctl_table_shared();
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
