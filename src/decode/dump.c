// SPDX-License-Identifier: MIT
/*
 * -e read=SET, -e write=SET: strace's dump of a call's data, after its line:
 *
 *    | 00000  68 65 6c 6c 6f 20 77 6f  72 6c 64 2c 20 74 68 69  hello world, thi |
 *
 * offset in hex, 16 bytes in hex (a gap after 8), the same bytes as ASCII
 * ('.' for what is not printable). readv, writev, recvmsg and sendmsg name
 * each buffer first: " * 3 bytes in buffer 0"; sendmmsg and recvmmsg each
 * message too: " = 2 buffers in vector 0". The data is the runtime's
 * capture (src/runtime/dump.c), not bounded by -s.
 */
#include "decode/dec_int.h"

static void dump_bytes(struct limen_sb *sb, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";

	for (size_t off = 0; off < n; off += 16) {
		char line[80];
		size_t k = 0;

		limen_sb_printf(sb, "\n | %05zx  ", off);
		for (size_t i = 0; i < 16; i++) {
			if (off + i < n) {
				line[k++] = hx[p[off + i] >> 4];
				line[k++] = hx[p[off + i] & 15];
			} else {
				line[k++] = ' ';
				line[k++] = ' ';
			}
			line[k++] = ' ';
			if (i == 7)
				line[k++] = ' ';
		}
		line[k++] = ' ';
		for (size_t i = 0; i < 16; i++) {
			uint8_t ch = off + i < n ? p[off + i] : ' ';

			line[k++] = off + i < n && (ch < 0x20 || ch > 0x7e) ?
					    '.' : (char)ch;
		}
		limen_sb_putn(sb, line, k);
		limen_sb_puts(sb, " |");
	}
}

void limen_decode_dump(struct limen_sb *sb, const struct limen_call *c)
{
	const struct limen_blob *b = &c->dump;
	uint32_t nseg, iov, vec = 0, buf = 0;
	size_t off = 8;

	if (!(b->flags & LIMEN_BLOB_PRESENT) || b->len < 8)
		return;
	nseg = r32(b->data, 0);
	iov = r32(b->data, 4);
	for (uint32_t i = 0; i < nseg && off + 16 <= b->len; i++) {
		uint64_t len = r64(b->data, off);
		uint32_t cl = r32(b->data, off + 8);

		if (cl > b->len - off - 16)
			break;
		if (r32(b->data, off + 12) & 1) {	/* an mmsghdr */
			limen_sb_printf(sb, "\n = %llu buffers in vector %u",
					(unsigned long long)len, vec++);
			buf = 0;
			off += 16;
			continue;
		}
		if (iov)
			limen_sb_printf(sb, "\n * %llu bytes in buffer %u",
					(unsigned long long)len, buf);
		buf++;
		dump_bytes(sb, b->data + off + 16, cl);
		off += 16 + (((size_t)cl + 7) & ~(size_t)7);
	}
}
