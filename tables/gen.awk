# SPDX-License-Identifier: MIT
#
# gen.awk: turn the declarative tables into C.
#
#   awk -f tables/gen.awk -v out=build/gen \
#       tables/syscalls.tbl tables/xlat.tbl tables/structs.tbl tables/ioctl.tbl
#
# writes $out/systab_gen.h, $out/systab.c, $out/decoders.c and
# $out/xlat_check.c. Files are told apart by their
# names (*syscalls.tbl, *xlat.tbl, *structs.tbl, *ioctl.tbl), so the order on the command
# line does not matter. The formats are described in tables/README.md.
#
# POSIX awk only: must run under mawk (Debian's default) as well as gawk.
# On any error: "FILE:LINE: message" on stderr, nothing written, exit 1.

function err(file, line, msg) {
	printf "%s:%d: %s\n", file, line, msg > "/dev/stderr"
	nerr++
}

# Value of a 0x hex string (POSIX awk has no hex conversion).
function hexnum(h,    i, v) {
	v = 0
	h = tolower(substr(h, 3))
	for (i = 1; i <= length(h); i++)
		v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
	return v
}

function strip_comment(s) {
	sub(/#.*/, "", s)
	return s
}

function is_ident(s) {
	return s ~ /^[A-Za-z_][A-Za-z0-9_]*$/
}

# C text of a table value: decimal (optionally negative) or 0x hex.
function cval(v) {
	if (v ~ /^0[xX][0-9a-fA-F]+$/)
		return v "ULL"
	if (v ~ /^[0-9]+$/)
		return v "ULL"
	if (v ~ /^-[0-9]+$/)
		return "(uint64_t)(" v "LL)"
	return ""
}

BEGIN {
	nerr = 0
	nstruct = 0
	nxlat = 0
	nsys = 0
	ndec = 0
	nxhdr = 0
	if (out == "")
		out = "build/gen"
	cur_list = ""

	# argument types: C enum name and kind
	#   v: by value (no direction, no len)
	#   x: by value with an xlat list (flags=/enum=)
	#   p: pointer, capture-relevant
	split("int uint long ulong hex ptr oct fd dirfd pid sig", bv, " ")
	for (i in bv) { atype_kind[bv[i]] = "v" }
	atype_kind["flags"] = "x"; atype_kind["enum"] = "x"
	split("path str buf struct sigset argv iov sockaddr socklen fdset ioctl msghdr special", pv, " ")
	for (i in pv) { atype_kind[pv[i]] = "p" }
	for (t in atype_kind) { atype_c[t] = "LIMEN_AT_" toupper(t) }

	# default directions of pointer types ("" = must be given)
	defdir["path"] = "in"; defdir["str"] = "in"; defdir["argv"] = "in"
	defdir["sigset"] = "in"; defdir["socklen"] = "inout"
	defdir["fdset"] = "inout"; defdir["ioctl"] = "inout"
	# pointer types that need len=
	needlen["buf"] = 1; needlen["sigset"] = 1; needlen["iov"] = 1
	needlen["sockaddr"] = 1; needlen["fdset"] = 1; needlen["ioctl"] = 1

	dir_c["in"] = "LIMEN_DIR_IN"; dir_c["out"] = "LIMEN_DIR_OUT"
	dir_c["inout"] = "LIMEN_DIR_INOUT"

	ret_c["int"] = "LIMEN_RET_INT"; ret_c["fd"] = "LIMEN_RET_FD"
	ret_c["hex"] = "LIMEN_RET_HEX"; ret_c["pid"] = "LIMEN_RET_PID"
	ret_c["none"] = "LIMEN_RET_NONE"

	ioa_c["none"] = "LIMEN_IOA_NONE"; ioa_c["int"] = "LIMEN_IOA_INT"
	ioa_c["intp"] = "LIMEN_IOA_INTP"; ioa_c["termios"] = "LIMEN_IOA_TERMIOS"
	ioa_c["winsize"] = "LIMEN_IOA_WINSIZE"; ioa_c["ptr"] = "LIMEN_IOA_PTR"
	ioa_c["fsflags"] = "LIMEN_IOA_FSFLAGS"; ioa_c["uintp"] = "LIMEN_IOA_UINTP"
	ioa_c["range"] = "LIMEN_IOA_RANGE"; ioa_c["ifreq"] = "LIMEN_IOA_IFREQ"
	nioc = 0

	split("file process network memory signal desc ipc creds clock stat pure", cl, " ")
	for (i in cl) { class_c[cl[i]] = "LIMEN_CLASS_" toupper(cl[i]) }
}

# ---------------------------------------------------------------- structs.tbl
FILENAME ~ /structs\.tbl$/ {
	line = strip_comment($0)
	n = split(line, f, " ")
	if (n == 0)
		next
	if (n != 2 || !is_ident(f[1]) || f[2] !~ /^[0-9]+$/) {
		err(FILENAME, FNR, "expected: NAME SIZE")
		next
	}
	if (f[1] in struct_id) {
		err(FILENAME, FNR, "duplicate struct " f[1])
		next
	}
	if (f[2] + 0 == 0 || f[2] + 0 > 65535) {
		err(FILENAME, FNR, "struct size out of range: " f[2])
		next
	}
	struct_id[f[1]] = nstruct
	struct_name[nstruct] = f[1]
	struct_size[nstruct] = f[2] + 0
	nstruct++
	next
}

# ------------------------------------------------------------------- xlat.tbl
FILENAME ~ /xlat\.tbl$/ {
	line = strip_comment($0)
	n = split(line, f, " ")
	if (n == 0)
		next
	if (f[1] == "list") {
		if (n < 3 || n > 4 || !is_ident(f[2]) ||
		    (f[3] != "flags" && f[3] != "enum") ||
		    (n == 4 && f[4] !~ /^[A-Z_0-9]*\?+[A-Z_0-9]*$/)) {
			err(FILENAME, FNR, "expected: list NAME flags|enum [UNKNOWN]")
			cur_list = ""
			next
		}
		if (f[2] in xlat_id) {
			err(FILENAME, FNR, "duplicate list " f[2])
			cur_list = ""
			next
		}
		cur_list = f[2]
		xlat_id[cur_list] = nxlat
		xlat_name[nxlat] = cur_list
		xlat_flags[nxlat] = (f[3] == "flags")
		xlat_unknown[nxlat] = n == 4 ? f[4] : ""
		xlat_n[nxlat] = 0
		xlat_file[nxlat] = FILENAME
		xlat_line[nxlat] = FNR
		nxlat++
		next
	}
	if (f[1] == "include") {
		if (n != 2 || f[2] !~ /^<[A-Za-z0-9_\/.]+>$/) {
			err(FILENAME, FNR, "expected: include <HEADER>")
			next
		}
		xlat_hdr[nxhdr++] = f[2]
		next
	}
	if (cur_list == "") {
		err(FILENAME, FNR, "item outside a list")
		next
	}
	if ((n != 2 && !(n == 3 && f[3] == "nocheck")) || cval(f[1]) == "" || !is_ident(f[2])) {
		err(FILENAME, FNR, "expected: VALUE SYMBOL [nocheck] (VALUE decimal or 0x hex)")
		next
	}
	x = xlat_id[cur_list]
	if ((x SUBSEP f[2]) in xlat_sym) {
		err(FILENAME, FNR, "duplicate symbol " f[2] " in list " cur_list)
		next
	}
	xlat_sym[x, f[2]] = 1
	k = xlat_n[x]
	xlat_val[x, k] = cval(f[1])
	xlat_item[x, k] = f[2]
	xlat_iline[x, k] = FNR
	xlat_nocheck[x, k] = (n == 3)
	xlat_n[x] = k + 1
	next
}

# ------------------------------------------------------------------ ioctl.tbl
# Checked in END: the names refer to xlat.tbl's ioctl_cmd list.
FILENAME ~ /ioctl\.tbl$/ {
	line = strip_comment($0)
	n = split(line, f, " ")
	if (n == 0)
		next
	if ((n != 3 && n != 5) || f[1] !~ /^0x[0-9a-f]+$/ || !is_ident(f[2]) || \
	    !(f[3] in ioa_c)) {
		err(FILENAME, FNR, "expected: CMD NAME none|int|ptr|intp|uintp|range|ifreq|fsflags|termios|winsize [in|out|inout SIZE] (CMD lower-case 0x hex)")
		next
	}
	if ((f[3] == "none" || f[3] == "int" || f[3] == "ptr") != (n == 3)) {
		err(FILENAME, FNR, "ARG " f[3] (n == 3 ? " needs DIR SIZE" : " takes no DIR SIZE"))
		next
	}
	if (n == 5 && ((f[4] != "in" && f[4] != "out" && (f[4] != "inout" || f[3] != "ifreq")) || f[5] !~ /^[0-9]+$/ || f[5] + 0 == 0 || f[5] + 0 > 65535)) {
		err(FILENAME, FNR, "DIR SIZE: in|out (inout: ifreq) and 1..65535 bytes")
		next
	}
	# the decoder reads integers of 2, 4 or 8 bytes, a range of 16
	if (((f[3] == "intp" || f[3] == "uintp") && f[5] != "2" && f[5] != "4" && f[5] != "8") ||
	    ((f[3] == "range" || f[3] == "ifreq") && f[5] != (f[3] == "range" ? "16" : "40"))) {
		err(FILENAME, FNR, "SIZE: " f[3] (f[3] == "range" ? " takes 16" : f[3] == "ifreq" ? " takes 40" : " takes 2, 4 or 8"))
		next
	}
	v = hexnum(f[1])
	if (v > 4294967295) {
		err(FILENAME, FNR, "command wider than 32 bits: " f[1])
		next
	}
	if (nioc > 0 && v <= ioc_num[nioc - 1]) {
		err(FILENAME, FNR, "rows must be in ascending order of CMD")
		next
	}
	ioc_num[nioc] = v
	ioc_cmd[nioc] = f[1]
	ioc_name[nioc] = f[2]
	ioc_arg[nioc] = ioa_c[f[3]]
	ioc_dir[nioc] = (n == 5 ? dir_c[f[4]] : "0")
	ioc_size[nioc] = (n == 5 ? f[5] + 0 : 0)
	ioc_line[nioc] = FNR
	ioc_file[nioc] = FILENAME
	nioc++
	next
}

# --------------------------------------------------------------- syscalls.tbl
# Kept for END: struct and xlat names may be defined in files read later.
FILENAME ~ /syscalls\.tbl$/ {
	line = strip_comment($0)
	if (line ~ /^[ \t]*$/)
		next
	sys_text[nsys] = line
	sys_file[nsys] = FILENAME
	sys_line[nsys] = FNR
	nsys++
	next
}

{
	err(FILENAME, FNR, "unknown table file (want *syscalls.tbl, *xlat.tbl, *structs.tbl)")
}

# Parse one argument spec "name:type[=ref][/mod...]" of row r, argument i.
# Sets a_* arrays; returns 0 on error.
function parse_arg(r, i, spec, file, ln,    p, nm, rest, nm2, mods, m, k, t, ref, mod) {
	p = index(spec, ":")
	if (p == 0) {
		err(file, ln, "argument " i ": expected name:type, got " spec)
		return 0
	}
	nm = substr(spec, 1, p - 1)
	rest = substr(spec, p + 1)
	if (!is_ident(nm)) {
		err(file, ln, "argument " i ": bad name " nm)
		return 0
	}
	nm2 = split(rest, mods, "/")
	t = mods[1]
	ref = ""
	if (index(t, "=")) {
		ref = substr(t, index(t, "=") + 1)
		t = substr(t, 1, index(t, "=") - 1)
	}
	if (!(t in atype_kind)) {
		err(file, ln, "argument " i " (" nm "): unknown type " t)
		return 0
	}
	a_name[r, i] = nm
	a_type[r, i] = t
	a_dir[r, i] = ""
	a_len[r, i] = -1
	a_ret[r, i] = 0
	a_xlat[r, i] = ""
	a_size[r, i] = 0

	if (t == "flags" || t == "enum") {
		if (ref == "") {
			err(file, ln, "argument " i " (" nm "): " t "= needs a list name")
			return 0
		}
		if (!(ref in xlat_id)) {
			err(file, ln, "argument " i " (" nm "): unknown xlat list " ref)
			return 0
		}
		if (xlat_flags[xlat_id[ref]] != (t == "flags")) {
			err(file, ln, "argument " i " (" nm "): list " ref " is not a" \
			    (t == "flags" ? " flags" : "n enum") " list")
			return 0
		}
		a_xlat[r, i] = "LIMEN_XLAT_" ref
	} else if (t == "struct") {
		if (ref == "") {
			err(file, ln, "argument " i " (" nm "): struct= needs a struct name")
			return 0
		}
		if (!(ref in struct_id)) {
			err(file, ln, "argument " i " (" nm "): unknown struct " ref)
			return 0
		}
		a_xlat[r, i] = "LIMEN_ST_" ref
		a_size[r, i] = "LIMEN_ST_" ref "_SIZE"
	} else if (ref != "") {
		err(file, ln, "argument " i " (" nm "): type " t " takes no =" ref)
		return 0
	}
	if (t == "sig" && ("signals" in xlat_id))
		a_xlat[r, i] = "LIMEN_XLAT_signals"

	for (k = 2; k <= nm2; k++) {
		mod = mods[k]
		if (mod == "in" || mod == "out" || mod == "inout") {
			if (a_dir[r, i] != "") {
				err(file, ln, "argument " i " (" nm "): two directions")
				return 0
			}
			a_dir[r, i] = mod
		} else if (mod ~ /^len=[0-9]+$/) {
			a_len[r, i] = substr(mod, 5) + 0
		} else if (mod == "ret") {
			a_ret[r, i] = 1
		} else {
			err(file, ln, "argument " i " (" nm "): unknown modifier /" mod)
			return 0
		}
	}

	if (atype_kind[t] != "p") {
		if (a_dir[r, i] != "" || a_len[r, i] >= 0 || a_ret[r, i]) {
			err(file, ln, "argument " i " (" nm "): by-value type " t " takes no /in /out /len /ret")
			return 0
		}
		return 1
	}
	if (a_dir[r, i] == "")
		a_dir[r, i] = defdir[t]
	if (a_dir[r, i] == "") {
		err(file, ln, "argument " i " (" nm "): type " t " needs /in, /out or /inout")
		return 0
	}
	if ((t in needlen) && a_len[r, i] < 0) {
		err(file, ln, "argument " i " (" nm "): type " t " needs /len=N")
		return 0
	}
	if (a_ret[r, i] && t != "buf" && t != "struct" && t != "iov") {
		err(file, ln, "argument " i " (" nm "): /ret only for buf, struct, iov")
		return 0
	}
	if (a_ret[r, i] && a_dir[r, i] == "in") {
		err(file, ln, "argument " i " (" nm "): /ret needs /out or /inout")
		return 0
	}
	return 1
}

function emit_arg(r, i,    s) {
	s = "\t\t{ .type = " atype_c[a_type[r, i]]
	s = s ", .dir = " (a_dir[r, i] == "" ? "0" : dir_c[a_dir[r, i]])
	s = s ", .len_arg = " a_len[r, i]
	s = s ", .len_ret = " a_ret[r, i]
	s = s ", .xlat = " (a_xlat[r, i] == "" ? "0" : a_xlat[r, i])
	s = s ", .size = " a_size[r, i]
	s = s ", .name = LIMEN_NAME(" pool(a_name[r, i]) ") },"
	return s
}

# The offset of string str in limen_names[], the one pool of the tables'
# names: offsets, not pointers, so that no table is relocated (a page
# copied for each page of pointers) in every process that starts. Each
# string once; offset 0 is "".
function pool(str) {
	if (!(str in pool_off)) {
		pool_off[str] = pool_len
		pool_str[npool++] = str
		pool_len += length(str) + 1
	}
	return pool_off[str]
}

END {
	if (nstruct == 0)
		err("tables/structs.tbl", 0, "no structs read (file missing from the command line?)")
	if (nxlat == 0)
		err("tables/xlat.tbl", 0, "no xlat lists read (file missing from the command line?)")
	if (nsys == 0)
		err("tables/syscalls.tbl", 0, "no syscalls read (file missing from the command line?)")
	if (nioc == 0)
		err("tables/ioctl.tbl", 0, "no ioctl commands read (file missing from the command line?)")
	for (x = 0; x < nxlat; x++)
		if (xlat_n[x] == 0)
			err(xlat_file[x], xlat_line[x], "empty list " xlat_name[x])

	# ---- parse syscall rows
	maxnr = -1
	ndecoded = 0
	for (r = 0; r < nsys; r++) {
		file = sys_file[r]; ln = sys_line[r]
		n = split(sys_text[r], f, " ")
		ok[r] = 0
		if (n < 5) {
			err(file, ln, "expected: NR NAME CLASSES RET DECODER [?] ARG...")
			continue
		}
		if (f[1] !~ /^[0-9]+$/) {
			err(file, ln, "bad number " f[1])
			continue
		}
		nr = f[1] + 0
		if (nr > 4095) {
			err(file, ln, "number too large: " nr)
			continue
		}
		if (!is_ident(f[2])) {
			err(file, ln, "bad name " f[2])
			continue
		}
		if (nr in nr_row) {
			err(file, ln, "duplicate number " nr " (also line " sys_line[nr_row[nr]] ")")
			continue
		}
		if (f[2] in name_row) {
			err(file, ln, "duplicate name " f[2] " (also line " sys_line[name_row[f[2]]] ")")
			continue
		}
		nr_row[nr] = r
		name_row[f[2]] = r
		s_nr[r] = nr
		s_name[r] = f[2]

		# classes
		cls = ""
		if (f[3] != "-") {
			nc = split(f[3], cs, ",")
			bad = 0
			for (k = 1; k <= nc; k++) {
				if (!(cs[k] in class_c)) {
					err(file, ln, "unknown class " cs[k])
					bad = 1
				} else
					cls = cls (cls == "" ? "" : " | ") class_c[cs[k]]
			}
			if (bad)
				continue
		}
		s_cls[r] = (cls == "" ? "0" : cls)

		if (!(f[4] in ret_c)) {
			err(file, ln, "unknown return type " f[4])
			continue
		}
		s_ret[r] = ret_c[f[4]]

		# decoder column: "-" or the name of a struct dsys
		if (f[5] != "-" && !is_ident(f[5])) {
			err(file, ln, "bad decoder name " f[5])
			continue
		}
		s_decoder[r] = f[5]
		if (f[5] != "-" && !(f[5] in dec_id)) {
			ndec++
			dec_id[f[5]] = ndec
			dec_name[ndec] = f[5]
		}

		first = 6
		s_dec[r] = 1
		if (n >= 6 && f[6] == "?") {
			s_dec[r] = 0
			first = 7
		}
		na = n - first + 1
		if (na > 6) {
			err(file, ln, "more than 6 arguments")
			continue
		}
		s_nargs[r] = na
		bad = 0
		for (i = 0; i < na; i++)
			if (!parse_arg(r, i, f[first + i], file, ln))
				bad = 1
		if (bad)
			continue
		# argument names unique, len= in range and pointing at sensible args
		for (i = 0; i < na; i++) {
			for (k = 0; k < i; k++)
				if (a_name[r, k] == a_name[r, i]) {
					err(file, ln, "duplicate argument name " a_name[r, i])
					bad = 1
				}
			L = a_len[r, i]
			if (L < 0)
				continue
			if (L >= na || L == i) {
				err(file, ln, "argument " i " (" a_name[r, i] "): len=" L " out of range (" na " arguments)")
				bad = 1
				continue
			}
			lt = a_type[r, L]
			if (a_type[r, i] == "sockaddr" && a_dir[r, i] != "in" && lt != "socklen") {
				err(file, ln, "argument " i " (" a_name[r, i] "): out sockaddr needs len= a socklen argument")
				bad = 1
			} else if (lt == "socklen") {
				if (a_type[r, i] != "sockaddr" && a_type[r, i] != "buf") {
					err(file, ln, "argument " i " (" a_name[r, i] "): only sockaddr and buf take their length from a socklen argument")
					bad = 1
				}
			} else if (a_type[r, i] == "ioctl") {
				# len= names the command argument
			} else if (atype_kind[lt] == "p") {
				err(file, ln, "argument " i " (" a_name[r, i] "): len=" L " is a pointer argument")
				bad = 1
			}
		}
		if (bad)
			continue
		ok[r] = 1
		if (s_dec[r])
			ndecoded++
		if (nr > maxnr)
			maxnr = nr
	}

	# ioctl_cmd in ascending order of value: the decoder searches it
	# by halves (src/decode/ioctl.c), a number's names side by side
	if ("ioctl_cmd" in xlat_id) {
		x = xlat_id["ioctl_cmd"]
		for (j = 1; j < xlat_n[x]; j++)
			if (hexnum(substr(xlat_val[x, j], 1, length(xlat_val[x, j]) - 3)) < \
			    hexnum(substr(xlat_val[x, j - 1], 1, length(xlat_val[x, j - 1]) - 3)))
				err("tables/xlat.tbl", xlat_iline[x, j], "ioctl_cmd must be in ascending order of value: " xlat_item[x, j])
	}

	# ioctl.tbl names must be ioctl_cmd items of the same value
	for (k = 0; k < nioc; k++) {
		x = ("ioctl_cmd" in xlat_id) ? xlat_id["ioctl_cmd"] : -1
		found = 0
		for (j = 0; x >= 0 && j < xlat_n[x]; j++)
			if (xlat_item[x, j] == ioc_name[k]) {
				found = 1
				if (xlat_val[x, j] !~ /^0x/ || hexnum(substr(xlat_val[x, j], 1, length(xlat_val[x, j]) - 3)) != ioc_num[k])
					err(ioc_file[k], ioc_line[k], ioc_name[k] " is " xlat_val[x, j] " in xlat.tbl's ioctl_cmd, not " ioc_cmd[k])
			}
		if (!found)
			err(ioc_file[k], ioc_line[k], ioc_name[k] " is not in xlat.tbl's ioctl_cmd list")
	}

	if (nerr > 0) {
		printf "gen.awk: %d error(s), nothing written\n", nerr > "/dev/stderr"
		exit 1
	}

	hdr = out "/systab_gen.h"
	src = out "/systab.c"

	# ---- systab_gen.h
	print "/* Generated by tables/gen.awk from the tables/ files: do not edit. */" > hdr
	print "#ifndef LIMEN_SYSTAB_GEN_H" > hdr
	print "#define LIMEN_SYSTAB_GEN_H" > hdr
	print "" > hdr
	print "/* limen_sysent[] has this many slots (highest number + 1). */" > hdr
	print "#define LIMEN_NSYSENT " (maxnr + 1) > hdr
	print "/* Rows in tables/syscalls.tbl, and how many are typed. */" > hdr
	print "#define LIMEN_NSYSCALLS " nsys > hdr
	print "#define LIMEN_NSYSCALLS_DECODED " ndecoded > hdr
	print "" > hdr
	print "/* Syscall numbers, by table name. */" > hdr
	for (nr = 0; nr <= maxnr; nr++)
		if (nr in nr_row)
			printf "#define LIMEN_NR_%s %d\n", s_name[nr_row[nr]], nr > hdr
	print "" > hdr
	print "/* Flag/enum lists of tables/xlat.tbl: index into limen_xlats[]. */" > hdr
	print "enum limen_xlat_id {" > hdr
	for (x = 0; x < nxlat; x++)
		printf "\tLIMEN_XLAT_%s = %d,\n", xlat_name[x], x > hdr
	print "\tLIMEN_NXLAT" > hdr
	print "};" > hdr
	print "" > hdr
	print "/* The value of every list item, for the C that needs one by name:" > hdr
	print "   LIMEN_XV_<list>_<symbol> (the table's value, checked against the" > hdr
	print "   system headers by xlat_check.c). */" > hdr
	for (x = 0; x < nxlat; x++)
		for (k = 0; k < xlat_n[x]; k++)
			printf "#define LIMEN_XV_%s_%s %s\n", xlat_name[x], xlat_item[x, k], xlat_val[x, k] > hdr
	print "" > hdr
	print "/* Structs of tables/structs.tbl (x86_64 kernel ABI sizes). */" > hdr
	print "enum limen_struct_id {" > hdr
	for (s = 0; s < nstruct; s++)
		printf "\tLIMEN_ST_%s = %d,\n", struct_name[s], s > hdr
	print "\tLIMEN_NSTRUCT" > hdr
	print "};" > hdr
	print "" > hdr
	for (s = 0; s < nstruct; s++)
		printf "#define LIMEN_ST_%s_SIZE %d\n", struct_name[s], struct_size[s] > hdr
	print "" > hdr
	print "extern const char *const limen_struct_names[LIMEN_NSTRUCT];" > hdr
	print "" > hdr
	print "/* Rows of tables/ioctl.tbl (limen_ioctls[], ascending commands). */" > hdr
	print "#define LIMEN_NIOCTL " nioc > hdr
	print "" > hdr
	print "/* Decoders named in the DECODER column (limen_sysent[].decoder). */" > hdr
	print "enum limen_decoder_id {" > hdr
	print "\tLIMEN_DEC_NONE = 0," > hdr
	for (k = 1; k <= ndec; k++)
		printf "\tLIMEN_DEC_%s = %d,\n", dec_name[k], k > hdr
	print "\tLIMEN_NDEC" > hdr
	print "};" > hdr
	print "" > hdr
	print "#endif" > hdr
	close(hdr)

	# ---- systab.c
	print "/* Generated by tables/gen.awk from the tables/ files: do not edit. */" > src
	print "/* Constant data only: linked into the libc-free runtime too. */" > src
	print "#include \"systab.h\"" > src
	print "" > src
	pool("")
	print "#ifndef LIMEN_NAMELESS /* the runtime's copy: no lists, no names (systab.h) */" > src
	# every list's items in one table, each list a run of it
	nitems = 0
	for (x = 0; x < nxlat; x++)
		nitems += xlat_n[x]
	printf "const struct limen_xlat_item limen_xlat_items[%d] = {\n", nitems > src
	first = 0
	for (x = 0; x < nxlat; x++) {
		xlat_first[x] = first
		first += xlat_n[x]
		printf "\t/* %s */\n", xlat_name[x] > src
		for (k = 0; k < xlat_n[x]; k++)
			printf "\t{ %s, %d }, /* %s */\n", xlat_val[x, k], pool(xlat_item[x, k]), xlat_item[x, k] > src
	}
	print "};" > src
	print "" > src
	print "const struct limen_xlat limen_xlats[LIMEN_NXLAT] = {" > src
	for (x = 0; x < nxlat; x++)
		printf "\t[LIMEN_XLAT_%s] = { %d, %d, %d, %d, %d },\n", xlat_name[x], pool(xlat_name[x]), xlat_flags[x], xlat_n[x], xlat_first[x], xlat_unknown[x] == "" ? 0 : pool(xlat_unknown[x]) + 1 > src
	print "};" > src
	print "" > src
	print "const char *const limen_struct_names[LIMEN_NSTRUCT] = {" > src
	for (s = 0; s < nstruct; s++)
		printf "\t[LIMEN_ST_%s] = \"%s\",\n", struct_name[s], struct_name[s] > src
	print "};" > src
	print "#endif" > src
	print "" > src
	print "const struct limen_ioctl limen_ioctls[LIMEN_NIOCTL] = {" > src
	for (k = 0; k < nioc; k++)
		printf "\t{ %su, %s, %s, %d }, /* %s */\n", ioc_cmd[k], ioc_arg[k], ioc_dir[k], ioc_size[k], ioc_name[k] > src
	print "};" > src
	print "" > src
	print "const struct limen_sysent limen_sysent[LIMEN_NSYSENT] = {" > src
	for (nr = 0; nr <= maxnr; nr++) {
		if (!(nr in nr_row))
			continue
		r = nr_row[nr]
		printf "\t[%d] = { .name = LIMEN_NAME(%d), /* %s */ .classes = %s, .nargs = %d, .ret = %s, .decoded = %d, .decoder = %s,\n", \
		    nr, pool(s_name[r]), s_name[r], s_cls[r], s_nargs[r], s_ret[r], s_dec[r], \
		    (s_decoder[r] == "-" ? "LIMEN_DEC_NONE" : "LIMEN_DEC_" s_decoder[r]) > src
		if (s_nargs[r] == 0) {
			print "\t}," > src
			continue
		}
		print "\t    .args = {" > src
		for (i = 0; i < s_nargs[r]; i++)
			print emit_arg(r, i) > src
		print "\t} }," > src
	}
	print "};" > src
	print "" > src
	print "#ifndef LIMEN_NAMELESS" > src
	print "const char limen_names[] =" > src
	for (k = 0; k < npool; k++)
		printf "\t\"%s\\0\"\n", pool_str[k] > src
	print "\t;" > src
	print "#endif" > src
	close(src)

	# ---- decoders.c: the collector's decoder of each DECODER name (the
	# runtime does not link it: it refers to the decoders' code)
	dsrc = out "/decoders.c"
	print "/* Generated by tables/gen.awk from tables/syscalls.tbl: do not edit. */" > dsrc
	print "#include \"decode/dec_int.h\"" > dsrc
	print "" > dsrc
	for (k = 1; k <= ndec; k++)
		printf "extern const struct dsys dsys_%s;\n", dec_name[k] > dsrc
	print "" > dsrc
	print "const struct dsys *const dsys_table[LIMEN_NDEC] = {" > dsrc
	for (k = 1; k <= ndec; k++)
		printf "\t[LIMEN_DEC_%s] = &dsys_%s,\n", dec_name[k], dec_name[k] > dsrc
	print "};" > dsrc
	close(dsrc)

	# ---- xlat_check.c: every list item whose symbol the system headers
	# define as a macro must have the headers' value, checked when the
	# collector is compiled (a table value cannot drift from the kernel's).
	# Symbols the headers define differently on purpose are marked "nocheck"
	# in the table (tables/README.md).
	csrc = out "/xlat_check.c"
	print "/* Generated by tables/gen.awk from tables/xlat.tbl: do not edit. */" > csrc
	print "/* Compile-time checks only: no code, no data. */" > csrc
	print "#ifndef _GNU_SOURCE" > csrc
	print "#define _GNU_SOURCE" > csrc
	print "#endif" > csrc
	for (k = 0; k < nxhdr; k++)
		print "#include " xlat_hdr[k] > csrc
	print "" > csrc
	for (x = 0; x < nxlat; x++) {
		for (k = 0; k < xlat_n[x]; k++) {
			if (xlat_nocheck[x, k])
				continue
			sym = xlat_item[x, k]
			# a negative constant may be kept as its 32-bit pattern
			# (si_code's SI_QUEUE as 0xffffffff: a 32-bit field)
			printf "#ifdef %s\n_Static_assert((unsigned long long)(%s) == %s || ((long long)(%s) < 0 && (unsigned int)(%s) == %s), \"tables/xlat.tbl:%d: %s in list %s differs from the system headers\");\n#endif\n", \
			    sym, sym, xlat_val[x, k], sym, sym, xlat_val[x, k], xlat_iline[x, k], sym, xlat_name[x] > csrc
		}
	}
	close(csrc)
}
