/* SPDX-License-Identifier: MIT */
/*
 * The metadata (TSDL, CTF 1.8): every event class with its fields by name
 * and type, from the layout the writer and the reader use (layout.c).
 * Field names carry a leading underscore, which CTF readers drop (so that
 * no argument name can collide with a TSDL keyword): `_filename` reads
 * back as `filename`, `__filename__len` as `_filename__len`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ctf/ctf_int.h"
#include "systab.h"

int limen_ctf_clock_ctf(const struct limen_ctf_clock *c, uint64_t *freq,
			int64_t *off_s, int64_t *off_cycles)
{
	long double f, base, rem;

	if (c->tsc1 <= c->tsc0 || c->ns1 <= c->ns0)
		return -1;
	f = (long double)(c->tsc1 - c->tsc0) * 1e9L /
	    (long double)(c->ns1 - c->ns0);
	if (f < 1e6L || f > 1e12L)
		return -1;
	*freq = (uint64_t)(f + 0.5L);
	/* ns(v) = ns0 + (v - tsc0) * 1e9 / f
		 = off_s * 1e9 + (off_cycles + v) * 1e9 / f */
	base = (long double)c->ns0 - (long double)c->tsc0 * 1e9L / *freq;
	*off_s = (int64_t)(base / 1e9L);
	if ((long double)*off_s * 1e9L > base)
		(*off_s)--;
	rem = base - (long double)*off_s * 1e9L;
	*off_cycles = (int64_t)(rem * *freq / 1e9L + 0.5L);
	return 0;
}

static void uuid_str(char *s, const uint8_t *u)
{
	sprintf(s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		   "%02x%02x%02x%02x%02x%02x",
		u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		u[10], u[11], u[12], u[13], u[14], u[15]);
}

static const char *const int_type[] = {
	[LIMEN_CTF_F_S32] = "int32_t",
	[LIMEN_CTF_F_U32] = "uint32_t",
	[LIMEN_CTF_F_O32] = "oct32_t",
	[LIMEN_CTF_F_S64] = "int64_t",
	[LIMEN_CTF_F_U64] = "uint64_t",
	[LIMEN_CTF_F_X64] = "hex64_t",
};

static void sys_event(FILE *f, uint32_t nr, int exit)
{
	const struct limen_ctf_arg *a = limen_ctf_args(nr);

	fprintf(f, "event {\n\tname = \"syscall_%s_%s\";\n\tid = %u;\n"
		   "\tstream_id = 0;\n\tfields := struct {\n",
		exit ? "exit" : "entry", limen_str(limen_sysent[nr].name),
		2 * nr + (exit ? 1 : 0));
	if (exit)
		fprintf(f, "\t\tint64_t _ret;\n");
	for (int i = 0; i < 6; i++) {
		const char *n = a[i].name;

		switch (a[i].kind) {
		case LIMEN_CTF_F_S32:
		case LIMEN_CTF_F_U32:
		case LIMEN_CTF_F_O32:
			/* the kernel reads an int from the low half; the
			   high half is kept for the record */
			fprintf(f, "\t\t%s _%s;\n\t\tuint32_t __%s__hi;\n",
				int_type[a[i].kind], n, n);
			break;
		case LIMEN_CTF_F_TEXT:
		case LIMEN_CTF_F_BYTES:
			fprintf(f, "\t\thex64_t __%s__ptr;\n"
				   "\t\tuint8_t __%s__cap;\n"
				   "\t\tuint32_t __%s__len;\n"
				   "\t\t%s _%s[__%s__len];\n",
				n, n, n,
				a[i].kind == LIMEN_CTF_F_TEXT ? "utf8_t"
							      : "uint8_t",
				n, n);
			break;
		default:
			fprintf(f, "\t\t%s _%s;\n", int_type[a[i].kind], n);
		}
	}
	fprintf(f, "\t};\n};\n\n");
}

static void simple_event(FILE *f, const char *name, unsigned id,
			 const char *fields)
{
	fprintf(f, "event {\n\tname = \"%s\";\n\tid = %u;\n\tstream_id = 0;\n"
		   "\tfields := struct {\n%s\t};\n};\n\n",
		name, id, fields);
}

/* The event classes depend on the table only: made once per process. */
static char *classes;
static size_t nclasses;

static char *event_classes(size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	for (uint32_t nr = 0; nr < LIMEN_NSYSENT; nr++) {
		if (!limen_ctf_args(nr))
			continue;
		sys_event(f, nr, 0);
		sys_event(f, nr, 1);
	}
	simple_event(f, "limen_record", LIMEN_CTF_ID_RECORD,
		     "\t\tuint16_t _type;\n\t\tuint32_t _len;\n"
		     "\t\tuint8_t _bytes[_len];\n");
	simple_event(f, "limen_signal", LIMEN_CTF_ID_SIGNAL,
		     "\t\tuint32_t _sig;\n\t\tuint8_t _siginfo[128];\n"
		     "\t\tuint64_t _ip;\n");
	simple_event(f, "limen_start", LIMEN_CTF_ID_START,
		     "\t\tenum : uint32_t { init = 1, thread = 2, fork = 3 } "
		     "_kind;\n\t\tint32_t _ppid;\n");
	simple_event(f, "limen_lost", LIMEN_CTF_ID_LOST,
		     "\t\tuint64_t _count;\n");
	simple_event(f, "limen_note", LIMEN_CTF_ID_NOTE,
		     "\t\tuint32_t _kind;\n\t\tint32_t _about_pid;\n"
		     "\t\tuint32_t _len;\n\t\tutf8_t _text[_len];\n");
	simple_event(f, "limen_collector_note", LIMEN_CTF_ID_CNOTE,
		     "\t\tstring _text;\n");
	simple_event(f, "limen_reaped", LIMEN_CTF_ID_REAPED,
		     "\t\tint32_t _reaped_pid;\n\t\tint32_t _status;\n"
		     "\t\tuint32_t _command;\n");
	simple_event(f, "limen_tick", LIMEN_CTF_ID_TICK, "");
	simple_event(f, "limen_command", LIMEN_CTF_ID_COMMAND,
		     "\t\tint32_t _command_pid;\n");
	simple_event(f, "limen_collector_line", LIMEN_CTF_ID_LINE,
		     "\t\tstring _text;\n");
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int write_text(FILE *f, const uint8_t uuid[16],
		       const struct limen_ctf_clock *c)
{
	char u[40];
	uint64_t freq = 1000000000;
	int64_t off_s = 0, off_c = 0;

	uuid_str(u, uuid);
	if (limen_ctf_clock_ctf(c, &freq, &off_s, &off_c) < 0) {
		freq = 1000000000;
		off_s = off_c = 0;
	}
	fprintf(f,
		"/* CTF 1.8 */\n\n"
		"typealias integer { size = 8; align = 8; signed = false; } := uint8_t;\n"
		"typealias integer { size = 16; align = 8; signed = false; } := uint16_t;\n"
		"typealias integer { size = 32; align = 8; signed = false; } := uint32_t;\n"
		"typealias integer { size = 32; align = 8; signed = true; } := int32_t;\n"
		"typealias integer { size = 32; align = 8; signed = false; base = 8; } := oct32_t;\n"
		"typealias integer { size = 64; align = 8; signed = false; } := uint64_t;\n"
		"typealias integer { size = 64; align = 8; signed = true; } := int64_t;\n"
		"typealias integer { size = 64; align = 8; signed = false; base = 16; } := hex64_t;\n"
		"typealias integer { size = 8; align = 8; signed = false; encoding = UTF8; } := utf8_t;\n\n"
		"trace {\n\tmajor = 1;\n\tminor = 8;\n\tuuid = \"%s\";\n"
		"\tbyte_order = le;\n"
		"\tpacket.header := struct {\n\t\tuint32_t magic;\n"
		"\t\tuint8_t uuid[16];\n\t\tuint32_t stream_id;\n\t};\n};\n\n"
		"env {\n\ttracer_name = \"limen\";\n\tdomain = \"limen\";\n"
		"\tlimen_format = %d;\n\tlimen_table = %lld;\n"
		"\tlimen_tsc0 = %lld;\n\tlimen_ns0 = %lld;\n"
		"\tlimen_tsc1 = %lld;\n\tlimen_ns1 = %lld;\n};\n\n"
		"clock {\n\tname = \"tsc\";\n"
		"\tdescription = \"TSC, mapped to CLOCK_REALTIME by limen\";\n"
		"\tfreq = %llu;\n\tprecision = 1;\n\toffset_s = %lld;\n"
		"\toffset = %lld;\n\tabsolute = true;\n};\n\n"
		"typealias integer { size = 64; align = 8; signed = false; "
		"map = clock.tsc.value; } := tsc_t;\n\n"
		"stream {\n\tid = 0;\n"
		"\tpacket.context := struct {\n"
		"\t\ttsc_t timestamp_begin;\n\t\ttsc_t timestamp_end;\n"
		"\t\tuint64_t content_size;\n\t\tuint64_t packet_size;\n"
		"\t\tuint64_t events_discarded;\n"
		"\t\tuint64_t packet_seq_num;\n\t};\n"
		"\tevent.header := struct {\n\t\tuint16_t id;\n"
		"\t\ttsc_t timestamp;\n\t};\n"
		"\tevent.context := struct {\n\t\tint32_t _tid;\n"
		"\t\tint32_t _pid;\n\t\tuint16_t _limen_flags;\n"
		"\t\tuint64_t _tsc;\n\t};\n};\n\n",
		u, LIMEN_CTF_FORMAT, (long long)limen_ctf_table_hash(),
		(long long)c->tsc0, (long long)c->ns0, (long long)c->tsc1,
		(long long)c->ns1, (unsigned long long)freq,
		(long long)off_s, (long long)off_c);
	if (!classes)
		classes = event_classes(&nclasses);
	if (!classes)
		return -1;
	fwrite(classes, 1, nclasses, f);
	return 0;
}

int limen_ctf_write_metadata(int dirfd, const uint8_t uuid[16],
			     const struct limen_ctf_clock *c)
{
	/* written whole under another name, then renamed: a reader never
	   sees half a metadata file */
	int fd = openat(dirfd, "metadata.tmp",
			O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	FILE *f;
	int r = 0;

	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		r = -errno;
		close(fd);
		return r;
	}
	if (write_text(f, uuid, c) < 0)
		r = -ENOMEM;
	if ((fflush(f) != 0 || ferror(f)) && !r)
		r = -(errno ? errno : EIO);
	if (fclose(f) != 0 && !r)
		r = -(errno ? errno : EIO);
	if (!r && renameat(dirfd, "metadata.tmp", dirfd, "metadata") < 0)
		r = -errno;
	return r;
}
