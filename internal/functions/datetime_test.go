package functions

import (
	"testing"

	"github.com/huntql/huntql/internal/types"
)

func TestDatetimeEval(t *testing.T) {
	dt := date("2017-01-29T09:00:05Z")
	tests := []struct {
		name string
		fn   string
		args []any
		want any
	}{
		{"format doc 1", "format_datetime", []any{dt, "yy-MM-dd [HH:mm:ss]"}, "17-01-29 [09:00:05]"},
		{"format doc 2", "format_datetime", []any{dt, "yyyy-M-dd [H:mm:ss]"}, "2017-1-29 [9:00:05]"},
		{"format doc 3", "format_datetime", []any{dt, "yy-MM-dd [hh:mm:ss tt]"},
			"17-01-29 [09:00:05 AM]"},
		{"format fraction", "format_datetime",
			[]any{date("2009-06-15T13:45:30.6175425Z"), "fff|FFFFFFF|h"}, "617|6175425|1"},
		{"format F trims", "format_datetime", []any{date("2009-06-15T13:45:30.05Z"), "F"}, ""},
		{"format null", "format_datetime", []any{nil, "yyyy"}, ""},
		{"format_timespan", "format_timespan", []any{types.Day + 2*types.Hour, "d:hh:mm"},
			"1:02:00"},
		{"ago", "ago", []any{types.Hour}, date("2025-05-07T17:00:00Z")},
		{"now offset", "now", []any{-types.Day}, date("2025-05-06T18:00:00Z")},
		{"bin datetime", "bin", []any{date("2025-05-07T16:15:31Z"), types.Hour},
			date("2025-05-07T16:00:00Z")},
		{"bin long", "bin", []any{int64(7), int64(5)}, int64(5)},
		{"bin negative long floors", "bin", []any{int64(-7), int64(5)}, int64(-10)},
		{"bin real", "bin", []any{4.5, 1.0}, 4.0},
		{"bin timespan", "bin", []any{90 * types.Minute, types.Hour}, types.Hour},
		{"bin zero size", "bin", []any{int64(7), int64(0)}, nil},
		{"bin_at doc", "bin_at", []any{6.5, 2.5, 7.0}, 4.5},
		{"startofday", "startofday", []any{date("2017-01-01T10:10:17Z")}, date("2017-01-01")},
		{"startofday offset", "startofday", []any{date("2017-01-01T10:10:17Z"), int64(-1)},
			date("2016-12-31")},
		{"startofweek sunday", "startofweek", []any{date("2017-01-05")}, date("2017-01-01")},
		{"startofmonth", "startofmonth", []any{date("2017-01-05")}, date("2017-01-01")},
		{"startofyear offset", "startofyear", []any{date("2017-05-05"), int64(1)},
			date("2018-01-01")},
		{"endofday", "endofday", []any{date("2017-01-01T10:10:17Z")},
			date("2017-01-01T23:59:59.9999999Z")},
		{"endofmonth", "endofmonth", []any{date("2017-02-05")},
			date("2017-02-28T23:59:59.9999999Z")},
		{"datetime_diff year doc", "datetime_diff",
			[]any{"year", date("2017-01-01"), date("2000-12-31")}, int64(17)},
		{"datetime_diff quarter doc", "datetime_diff",
			[]any{"quarter", date("2017-07-01"), date("2017-03-30")}, int64(2)},
		{"datetime_diff month doc", "datetime_diff",
			[]any{"month", date("2017-01-01"), date("2015-12-30")}, int64(13)},
		{"datetime_diff week doc", "datetime_diff",
			[]any{"week", date("2017-10-29 00:00"), date("2017-09-30 23:59")}, int64(5)},
		{"datetime_diff day doc", "datetime_diff",
			[]any{"day", date("2017-10-29 00:00"), date("2017-09-30 23:59")}, int64(29)},
		{"datetime_diff hour doc", "datetime_diff",
			[]any{"hour", date("2017-10-31 01:00"), date("2017-10-30 23:59")}, int64(2)},
		{"datetime_diff minute doc", "datetime_diff",
			[]any{"minute", date("2017-10-30 23:05:01"), date("2017-10-30 23:00:59")}, int64(5)},
		{"datetime_diff second doc", "datetime_diff",
			[]any{"second", date("2017-10-30 23:00:10.100"), date("2017-10-30 23:00:00.900")},
			int64(10)},
		{"datetime_diff millisecond doc", "datetime_diff",
			[]any{"millisecond", date("2017-10-30 23:00:00.200100"),
				date("2017-10-30 23:00:00.100900")}, int64(100)},
		{"datetime_diff bad part", "datetime_diff", []any{"eon", dt, dt}, nil},
		{"datetime_add month clamps", "datetime_add", []any{"month", int64(1), date("2017-01-31")},
			date("2017-02-28")},
		{"datetime_add day", "datetime_add", []any{"day", int64(-1), date("2017-01-01")},
			date("2016-12-31")},
		{"datetime_part quarter", "datetime_part", []any{"Quarter", date("2017-05-01")},
			int32(2)},
		{"datetime_part week iso", "datetime_part", []any{"week_of_year", date("2017-01-01")},
			int32(52)},
		{"dayofweek", "dayofweek", []any{date("1947-11-30 10:00:05")}, types.Duration(0)},
		{"dayofweek friday", "dayofweek", []any{date("1970-05-11")}, types.Day},
		{"getyear", "getyear", []any{dt}, int32(2017)},
		{"make_datetime", "make_datetime", []any{int64(2017), int64(10), int64(1), int64(12),
			int64(10), 1.5}, date("2017-10-01T12:10:01.5Z")},
		{"make_datetime invalid day", "make_datetime", []any{int64(2017), int64(2), int64(30)},
			nil},
		{"make_timespan", "make_timespan", []any{int64(1), int64(12), int64(30)},
			types.Hour + 12*types.Minute + 30*types.Second},
		{"make_timespan days", "make_timespan", []any{int64(1), int64(0), int64(0), int64(1)},
			types.Day + types.Second},
		{"unixtime seconds", "unixtime_seconds_todatetime", []any{int64(1546300800)},
			date("2019-01-01")},
		{"unixtime milliseconds", "unixtime_milliseconds_todatetime", []any{1546300800000.5},
			date("2019-01-01T00:00:00.0005Z")},
		{"unixtime out of range", "unixtime_seconds_todatetime", []any{int64(1) << 60}, nil},
		{"utc to local", "datetime_utc_to_local", []any{date("2020-07-01T12:00:00Z"),
			"Europe/Berlin"}, date("2020-07-01T14:00:00Z")},
		{"local to utc", "datetime_local_to_utc", []any{date("2020-01-01T12:00:00Z"),
			"America/New_York"}, date("2020-01-01T17:00:00Z")},
		{"unknown zone", "datetime_utc_to_local", []any{dt, "Mars/Olympus"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, tc.fn, tc.args...)
			if !same(got, tc.want) {
				t.Fatalf("%s(%v) = %v, want %v", tc.fn, tc.args, got, tc.want)
			}
		})
	}
}
