#!/bin/bash
# SPDX-License-Identifier: MIT
#
# An event's filter file (events/user_events/NAME/filter) inside the
# traced tree where the kernel has no user_events: the grammar, errors and
# read-back of the kernel's trace_events_filter.c, and the writes a filter
# keeps out of `trace` (tests/progs/uevent_filter.c, written for a kernel
# with CONFIG_USER_EVENTS); then echo, cat, ls and stat of it from a shell.
# The bare machine has no user_events: the expectations are the kernel's.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_filter)

need_emulated_user_events

limen_trace "$tmp/t" -e trace=none -- "$prog" >"$tmp/out" 2>"$tmp/err" </dev/null
val() { grep -m1 "^$1=" "$tmp/out" | cut -d= -f2-; }

is "$(cat "$tmp/err")" "" "the program says nothing on stderr"
is "$(val unset)" "none|" "filter_reads_none_when_unset"
is "$(val set)" "ok read=count > 3|" "filter_reads_back_the_expression_without_its_newline"
is "$(val blanks)" "ok read=  count>3|" "filter_keeps_leading_blanks_drops_trailing_ones"
is "$(val dangling_and)" "ok read=count == 1 &&|" "filter_ending_in_and_is_taken_as_the_kernel_takes_it"
is "$(val no_field)" "EINVAL read=nosuch == 1|       ^|parse_error: Field not found||" \
	"filter_unknown_field_is_einval_with_the_kernels_caret_and_text"
is "$(val string_op_on_number)" "EINVAL read=msg > 3|       ^|parse_error: Expecting string field||" \
	"filter_number_for_a_string_field_is_einval"
is "$(val string_for_number)" 'EINVAL read=count == "x"|          ^|parse_error: Expecting numeric field||' \
	"filter_string_for_a_number_field_is_einval"
is "$(val glob_on_number)" "EINVAL read=count ~ 3|         ^|parse_error: Illegal operation for field type||" \
	"filter_glob_on_a_number_is_einval"
is "$(val open_paren)" "ENOENT read=(count == 1|^|parse_error: Too many '('||" \
	"filter_unclosed_paren_is_enoent_as_the_kernels_calc_stack_returns"
is "$(val close_paren)" "EPERM read=count == 1)|          ^|parse_error: Too few '('||" \
	"filter_extra_close_paren_is_eperm"
is "$(val two_preds)" "EPERM read=count == 1 foo|           ^|parse_error: Too many terms in predicate expression||" \
	"filter_two_predicates_without_an_operator_is_eperm"
is "$(val single_amp)" "EPERM read=count == 1 & count == 2|           ^|parse_error: Too many terms in predicate expression||" \
	"filter_single_ampersand_between_predicates_is_eperm"
is "$(val open_quote)" 'ESRCH read=msg == "abc|       ^|parse_error: Missing matching quote||' \
	"filter_unclosed_quote_is_esrch"
is "$(val bad_number)" "EINVAL read=count == 0xg|          ^|parse_error: Illegal integer value||" \
	"filter_bad_number_is_einval"
is "$(val negative_unsigned)" "EINVAL read=count == -1|          ^|parse_error: Illegal integer value||" \
	"filter_negative_number_for_an_unsigned_field_is_einval"
is "$(val no_op)" "EINVAL read=count|     ^|parse_error: Invalid operator||" \
	"filter_field_without_operator_is_einval_caret_clamped_to_the_end"
is "$(val dangling_and_after_or)" "EINVAL read=count == 1 || count == 2 &&|Error: (0)||" \
	"filter_or_left_unlinked_by_a_final_and_is_refused_without_text"
is "$(val empty)" "EINVAL read=|Error: (0)||" "filter_empty_is_einval"
is "$(val zero)" "ok read=none|" "filter_zero_removes_it"
is "$(val page)" "EINVAL page_kept=count > 3| below_page=ok read=count == 1|" \
	"filter_write_of_a_page_is_einval_and_changes_nothing_one_byte_less_is_taken"

is "$(val all)" "ok [1 2 3 4 5 6]" "filter_none_lets_every_write_into_trace"
is "$(val gt)" "ok [4 5 6]" "filter_keeps_out_of_trace_the_writes_that_do_not_match"
is "$(val str_eq)" "ok [1 3 5]" "filter_string_equality_on_a_char_array"
is "$(val str_ne_and)" "ok [2 4]" "filter_string_inequality_and_number"
is "$(val glob_front)" "ok [1 2 3 5 6]" "filter_glob_prefix"
is "$(val glob_end_static)" "ok [none]" \
	"filter_glob_suffix_on_a_char_array_compares_at_the_arrays_end_as_the_kernel"
is "$(val rel_loc_glob)" "ok [1 3 4 6]" "filter_glob_on_a_rel_loc_string"
is "$(val rel_loc_class)" "ok [2 3]" "filter_full_glob_with_a_class"
is "$(val not_group_or)" "ok [1 5 6]" "filter_not_of_a_group_or_signed_compare"
is "$(val group_and)" "ok [1]" "filter_parenthesised_or_and"
is "$(val signed_band)" "ok [1 2 3 5 6]" "filter_bitwise_and"
is "$(val hex)" "ok [5]" "filter_hex_number"
is "$(val common_pid)" "ok [1 2 3 4 5 6]" "filter_common_pid_is_the_writers_tid"
is "$(val common_pid_ne)" "ok [none]" "filter_common_pid_not_equal"
is "$(val comm)" "ok [1 2 3 4 5 6]" "filter_comm_glob_on_the_writers_name"
is "$(val common_type)" "ok [none]" "filter_common_type"
is "$(val after_error)" "EINVAL [1 2 3 4 5 6]" "filter_refused_filters_nothing"
is "$(val cleared)" "ok [1 2 3 4 5 6]" "filter_cleared_filters_nothing"

# limen's own view (-e uevent=) is a consumer of its own, as perf's
# session is on the kernel: the ftrace instance's filter does not drop
# the events it records; trace still shows only the matching ones
limen_trace "$tmp/t3" -e trace=none -e uevent=flt -- "$prog" >"$tmp/out3" 2>&1 </dev/null
runs=$(grep -c '^[a-z_]*=ok \[\|^[a-z_]*=EINVAL \[' "$tmp/out3")
is "$(grep -c 'flt(count=4,' "$tmp/t3")" "$runs" \
	"limen_trace_uevent_records_every_write_whatever_the_tracefs_filter"
is "$(grep '^gt=' "$tmp/out3")" "gt=ok [4 5 6]" \
	"tracefs_filter_still_applies_to_trace_while_limen_records"

# a shell: echo and cat, ls and stat
cat >"$tmp/sh" <<'EOS'
T=/sys/kernel/tracing
F=$T/events/user_events/shf/filter
echo 'u:shf u32 count; char[8] msg' > $T/dynamic_events || exit 1
echo "cat_unset:"; cat $F
echo "echo_set:"; echo 'count > 1 && msg ~ "a*"' > $F && echo ok
echo "cat_set:"; cat $F
echo "echo_bad:"; echo 'cnt == 1' > $F 2>/dev/null || echo "failed"
echo "cat_bad:"; cat $F
echo 0 > $F
echo "cat_zero:"; cat $F
echo "ls:"; ls -l $T/events/user_events/shf | awk 'NR > 1 {print $1, $NF}'
echo "stat:"; stat -c '%A %F %n' $F
echo "end:"
EOS
(cd "$tmp" && limen_trace "$tmp/t2" -e trace=none -- bash "$tmp/sh") \
	>"$tmp/sh.out" 2>"$tmp/sh.err" </dev/null
section() {
	awk -v s="$1:" '$0 == s {on = 1; next} on && /^[a-z_]+:$/ {exit} on {print}' "$tmp/sh.out"
}
is "$(cat "$tmp/sh.err")" "" "the shell says nothing on stderr"
is "$(section cat_unset)" "none" "cat_of_an_unset_filter_says_none"
is "$(section echo_set)" "ok" "echo_of_a_filter_succeeds"
is "$(section cat_set)" 'count > 1 && msg ~ "a*"' "cat_shows_the_filter_echo_wrote"
is "$(section echo_bad)" "failed" "echo_of_a_bad_filter_fails"
is "$(section cat_bad)" "cnt == 1
    ^
parse_error: Field not found" "cat_shows_the_bad_filter_with_its_error"
is "$(section cat_zero)" "none" "echo_0_removes_the_filter"
is "$(section ls)" "-rw-r----- enable
-rw-r----- filter
-r--r----- format
-r--r----- id" "ls_lists_an_events_filter_file"
is "$(section stat)" "-rw-r----- regular empty file /sys/kernel/tracing/events/user_events/shf/filter" \
	"stat_of_an_events_filter_file"

# limen's limit of 16 filtered events (ENOMEM past it, as the kernel's
# allocation failing), a slot freed by "0", and an event deleted and
# made again: a new event, without the old one's filter
cat >"$tmp/sh3" <<'EOS'
T=/sys/kernel/tracing
E=$T/events/user_events
for i in $(seq 1 17); do echo "u:fe$i u32 x" >> $T/dynamic_events || exit 1; done
for i in $(seq 1 16); do echo 'x > 1' > $E/fe$i/filter || echo "fail $i"; done
echo "seventeenth:"; (echo 'x > 1' > $E/fe17/filter) 2>&1 | sed 's/.*: //'
echo 0 > $E/fe1/filter
echo "after_free:"; echo 'x > 2' > $E/fe17/filter && cat $E/fe17/filter
echo "recreated:"; echo '!u:fe2' >> $T/dynamic_events && echo "u:fe2 u32 x" >> $T/dynamic_events && cat $E/fe2/filter
echo "end:"
EOS
(cd "$tmp" && limen_trace "$tmp/t4" -e trace=none -- bash "$tmp/sh3") \
	>"$tmp/sh.out" 2>"$tmp/sh.err" </dev/null
is "$(cat "$tmp/sh.err")" "" "sixteen filters: nothing on stderr"
is "$(section seventeenth)" "Cannot allocate memory" "filter_past_sixteen_filtered_events_is_enomem"
is "$(section after_free)" "x > 2" "filter_slot_freed_by_zero_is_taken_again"
is "$(section recreated)" "none" "filter_of_an_event_deleted_and_made_again_is_none"
done_testing
