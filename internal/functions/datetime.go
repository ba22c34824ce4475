package functions

import (
	"math"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // datetime_utc_to_local must work on hosts without a zoneinfo database

	"github.com/huntql/huntql/internal/types"
)

// This file registers the datetime and timespan functions. All datetimes
// are UTC; weeks start on Sunday as in Kusto.

func init() {
	scalar("now", func(ctx *Context, a []any) any {
		now := ctxNow(ctx)
		if len(a) > 0 {
			d, ok := asDuration(a[0])
			if !ok {
				return nil
			}
			return dateOrNull(int64(now) + int64(d))
		}
		return now
	}, "timespan? -> datetime")
	scalar("ago", func(ctx *Context, a []any) any {
		d, ok := asDuration(a[0])
		if !ok {
			return nil
		}
		return dateOrNull(int64(ctxNow(ctx)) - int64(d))
	}, "timespan -> datetime")
	bin := scalar("bin", evalBin, "Number, Number -> Widest", "timespan, timespan -> timespan",
		"datetime, timespan -> datetime")
	alias("floor", bin)
	scalar("bin_at", evalBinAt, "Number, Number, Number -> Widest",
		"timespan, timespan, timespan -> timespan", "datetime, timespan, datetime -> datetime")
	for _, u := range []string{"day", "week", "month", "year"} {
		unit := u
		scalar("startof"+unit, func(_ *Context, a []any) any {
			return startOf(a, unit, false)
		}, "datetime, long? -> datetime")
		scalar("endof"+unit, func(_ *Context, a []any) any {
			return startOf(a, unit, true)
		}, "datetime, long? -> datetime")
	}
	part := func(name string, ret string, f func(t time.Time, d types.Date) any) {
		scalar(name, func(_ *Context, a []any) any {
			d, ok := asDate(a[0])
			if !ok {
				return nil
			}
			return f(d.Time(), d)
		}, "datetime -> "+ret)
	}
	part("getyear", "int", func(t time.Time, _ types.Date) any { return int32(t.Year()) })
	part("getmonth", "int", func(t time.Time, _ types.Date) any { return int32(t.Month()) })
	part("monthofyear", "int", func(t time.Time, _ types.Date) any { return int32(t.Month()) })
	part("dayofmonth", "int", func(t time.Time, _ types.Date) any { return int32(t.Day()) })
	part("dayofyear", "int", func(t time.Time, _ types.Date) any { return int32(t.YearDay()) })
	part("hourofday", "int", func(t time.Time, _ types.Date) any { return int32(t.Hour()) })
	part("week_of_year", "int", func(t time.Time, _ types.Date) any {
		_, w := t.ISOWeek()
		return int32(w)
	})
	part("dayofweek", "timespan", func(t time.Time, _ types.Date) any {
		return types.Duration(t.Weekday()) * types.Day
	})
	scalar("datetime_part", evalDatetimePart, "string, datetime -> int")
	scalar("datetime_add", evalDatetimeAdd, "string, Integer, datetime -> datetime")
	scalar("datetime_diff", evalDatetimeDiff, "string, datetime, datetime -> long")
	scalar("make_datetime", evalMakeDatetime,
		"Number, Number, Number, Number?, Number?, Number? -> datetime")
	scalar("make_timespan", evalMakeTimespan, "Integer, Integer, Integer, Number -> timespan",
		"Integer, Integer, Number? -> timespan")
	unix := func(name string, unit float64) {
		scalar(name, func(_ *Context, a []any) any {
			if n, ok := intValue(a[0]); ok && unit >= 1 {
				if math.Abs(float64(n)) > float64(types.MaxDatetime)/unit {
					return nil
				}
				return dateOrNull(unixEpoch + n*int64(unit))
			}
			if n, ok := intValue(a[0]); ok {
				// Nanoseconds: exact in integers, where a float64 would lose
				// the last ticks of a present-day timestamp.
				return dateOrNull(unixEpoch + n/int64(math.Round(1/unit)))
			}
			f, ok := asReal(a[0])
			if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil
			}
			t := f * unit
			if math.Abs(t) > float64(types.MaxDatetime) {
				return nil
			}
			return dateOrNull(unixEpoch + int64(math.Round(t)))
		}, "Number -> datetime")
	}
	unix("unixtime_seconds_todatetime", 1e7)
	unix("unixtime_milliseconds_todatetime", 1e4)
	unix("unixtime_microseconds_todatetime", 10)
	unix("unixtime_nanoseconds_todatetime", 0.01)
	scalar("format_datetime", evalFormatDatetime, "datetime, string -> string")
	scalar("format_timespan", evalFormatTimespan, "timespan, string -> string")
	scalar("datetime_utc_to_local", func(_ *Context, a []any) any {
		return shiftZone(a, true)
	}, "datetime, string -> datetime")
	scalar("datetime_local_to_utc", func(_ *Context, a []any) any {
		return shiftZone(a, false)
	}, "datetime, string -> datetime")
}

// unixEpoch is 1970-01-01 in ticks.
var unixEpoch = int64(types.DateFromTime(time.Unix(0, 0)))

func ctxNow(ctx *Context) types.Date {
	if ctx == nil {
		return types.DateFromTime(time.Now())
	}
	return ctx.Now
}

// evalBin rounds down to a multiple of the bin size: bin(v, s) =
// floor(v / s) * s. A non-positive size yields null.
func evalBin(_ *Context, a []any) any {
	return binAt(a[0], a[1], nil)
}

func evalBinAt(_ *Context, a []any) any {
	return binAt(a[0], a[1], a[2])
}

// binAt bins v by size relative to the fixed point at (nil for zero).
func binAt(v, size, at any) any {
	if v == nil || size == nil {
		return nil
	}
	cv, iv, fv := class(v)
	cs, is, fs := class(size)
	ca, ia, fa := class(at)
	switch {
	case cv == cDate && cs == cDur || cv == cDur && cs == cDur || cv == cInt && cs == cInt:
		if is <= 0 {
			return nil
		}
		off := ia
		if at != nil && ca != cv && !(cv == cInt && ca == cInt) {
			return nil
		}
		r := off + floorDiv(iv-off, is)*is
		switch cv {
		case cDate:
			return dateOrNull(r)
		case cDur:
			return types.Duration(r)
		}
		return r
	case cv <= cDec && cs <= cDec && cv != cNone && cs != cNone:
		x, _ := asReal(v)
		s, _ := asReal(size)
		o := 0.0
		if at != nil {
			if ca == cInt {
				fa = float64(ia)
			}
			o = fa
		}
		_, _ = fv, fs
		if !(s > 0) {
			return nil
		}
		return o + math.Floor((x-o)/s)*s
	}
	return nil
}

// floorDiv divides rounding toward negative infinity.
func floorDiv(x, y int64) int64 {
	q := x / y
	if (x%y != 0) && ((x < 0) != (y < 0)) {
		q--
	}
	return q
}

// startOf is startofday/week/month/year (end=false) and the endof forms:
// the first (or last) tick of the unit containing the date, shifted by
// offset units.
func startOf(a []any, unit string, end bool) any {
	d, ok := asDate(a[0])
	if !ok {
		return nil
	}
	off := int64(0)
	if len(a) > 1 && a[1] != nil {
		if off, ok = asLong(a[1]); !ok {
			return nil
		}
	}
	t := d.Time()
	y, m, day := t.Date()
	var s time.Time
	switch unit {
	case "day":
		s = time.Date(y, m, day+int(off), 0, 0, 0, 0, time.UTC)
		if end {
			s = s.AddDate(0, 0, 1)
		}
	case "week":
		s = time.Date(y, m, day-int(t.Weekday())+7*int(off), 0, 0, 0, 0, time.UTC)
		if end {
			s = s.AddDate(0, 0, 7)
		}
	case "month":
		s = time.Date(y, m+time.Month(off), 1, 0, 0, 0, 0, time.UTC)
		if end {
			s = s.AddDate(0, 1, 0)
		}
	case "year":
		s = time.Date(y+int(off), 1, 1, 0, 0, 0, 0, time.UTC)
		if end {
			s = s.AddDate(1, 0, 0)
		}
	}
	if s.Year() < 1 || s.Year() > 10000 {
		return nil
	}
	r := int64(types.DateFromTime(s))
	if end {
		r--
	}
	return dateOrNull(r)
}

// partName normalizes a datetime part name (case-insensitive, plurals and
// abbreviations as Kusto accepts them).
func partName(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	switch p {
	case "year", "years", "yy", "yyyy":
		return "year"
	case "quarter", "quarters", "qq", "q":
		return "quarter"
	case "month", "months", "mm", "m":
		return "month"
	case "week", "weeks", "wk", "ww", "week_of_year", "weekofyear":
		return "week"
	case "day", "days", "dd", "d":
		return "day"
	case "dayofyear", "dy", "y":
		return "dayofyear"
	case "hour", "hours", "hh":
		return "hour"
	case "minute", "minutes", "mi", "n":
		return "minute"
	case "second", "seconds", "ss", "s":
		return "second"
	case "millisecond", "milliseconds", "ms":
		return "millisecond"
	case "microsecond", "microseconds", "mcs":
		return "microsecond"
	case "nanosecond", "nanoseconds", "ns":
		return "nanosecond"
	}
	return p
}

func evalDatetimePart(_ *Context, a []any) any {
	d, ok := asDate(a[1])
	if !ok {
		return nil
	}
	t := d.Time()
	frac := int64(d) % int64(types.Second)
	switch partName(str(a[0])) {
	case "year":
		return int32(t.Year())
	case "quarter":
		return int32((int(t.Month())-1)/3 + 1)
	case "month":
		return int32(t.Month())
	case "week":
		_, w := t.ISOWeek()
		return int32(w)
	case "day":
		return int32(t.Day())
	case "dayofyear":
		return int32(t.YearDay())
	case "hour":
		return int32(t.Hour())
	case "minute":
		return int32(t.Minute())
	case "second":
		return int32(t.Second())
	case "millisecond":
		return int32(frac / 10_000)
	case "microsecond":
		return int32(frac / 10)
	case "nanosecond":
		return int32(frac * 100)
	}
	return nil
}

// addMonths adds months as .NET does: the day is clamped to the length of
// the target month rather than overflowing into the next one.
func addMonths(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, t.Hour(), t.Minute(), t.Second(),
		t.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return first.AddDate(0, 0, d-1)
}

var partTicks = map[string]int64{
	"week": int64(7 * types.Day), "day": int64(types.Day), "hour": int64(types.Hour),
	"minute": int64(types.Minute), "second": int64(types.Second),
	"millisecond": int64(types.Millisecond), "microsecond": int64(types.Microsecond),
}

func evalDatetimeAdd(_ *Context, a []any) any {
	n, ok := asLong(a[1])
	d, ok2 := asDate(a[2])
	if !ok || !ok2 {
		return nil
	}
	part := partName(str(a[0]))
	switch part {
	case "year", "quarter", "month":
		months := n
		if part == "year" {
			months *= 12
		} else if part == "quarter" {
			months *= 3
		}
		if months > 120000 || months < -120000 {
			return nil
		}
		frac := int64(d) % int64(types.Second)
		t := addMonths(d.Time(), int(months))
		if t.Year() < 1 || t.Year() > 9999 {
			return nil
		}
		return dateOrNull(int64(types.DateFromTime(t.Truncate(time.Second))) + frac)
	case "nanosecond":
		return dateOrNull(int64(d) + n/100)
	}
	u, ok := partTicks[part]
	if !ok || n > int64(types.MaxDatetime)/u || n < -int64(types.MaxDatetime)/u {
		return nil
	}
	return dateOrNull(int64(d) + n*u)
}

// evalDatetimeDiff counts the part boundaries between datetime2 and
// datetime1 (datetime1 - datetime2), as Kusto's datetime_diff does.
func evalDatetimeDiff(_ *Context, a []any) any {
	d1, ok1 := asDate(a[1])
	d2, ok2 := asDate(a[2])
	if !ok1 || !ok2 {
		return nil
	}
	t1, t2 := d1.Time(), d2.Time()
	months := func(t time.Time) int64 { return int64(t.Year())*12 + int64(t.Month()) - 1 }
	switch part := partName(str(a[0])); part {
	case "year":
		return int64(t1.Year() - t2.Year())
	case "quarter":
		return months(t1)/3 - months(t2)/3
	case "month":
		return months(t1) - months(t2)
	case "week":
		// Weeks start on Sunday; 0001-01-01 was a Monday, one day after one.
		w := int64(7 * types.Day)
		return floorDiv(int64(d1)+int64(types.Day), w) - floorDiv(int64(d2)+int64(types.Day), w)
	case "nanosecond":
		return (int64(d1) - int64(d2)) * 100
	default:
		u, ok := partTicks[part]
		if !ok {
			return nil
		}
		return floorDiv(int64(d1), u) - floorDiv(int64(d2), u)
	}
}

func evalMakeDatetime(_ *Context, a []any) any {
	var v [6]float64
	for i := range a {
		if a[i] == nil {
			return nil
		}
		f, ok := asReal(a[i])
		if !ok {
			return nil
		}
		v[i] = f
	}
	if len(a) < 3 {
		return nil
	}
	y, mo, d, h, mi := int(v[0]), int(v[1]), int(v[2]), int(v[3]), int(v[4])
	if y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 ||
		mi > 59 || v[5] < 0 || v[5] >= 60 {
		return nil
	}
	t := time.Date(y, time.Month(mo), d, h, mi, 0, 0, time.UTC)
	if t.Day() != d {
		return nil
	}
	return dateOrNull(int64(types.DateFromTime(t)) + int64(math.Round(v[5]*1e7)))
}

// evalMakeTimespan is make_timespan(hours, minutes[, seconds]) or
// make_timespan(days, hours, minutes, seconds).
func evalMakeTimespan(_ *Context, a []any) any {
	vals := make([]float64, len(a))
	for i, v := range a {
		f, ok := asReal(v)
		if !ok {
			return nil
		}
		vals[i] = f
	}
	units := []types.Duration{types.Hour, types.Minute, types.Second}
	if len(a) == 4 {
		units = []types.Duration{types.Day, types.Hour, types.Minute, types.Second}
	}
	total := 0.0
	for i, f := range vals {
		total += f * float64(units[i])
	}
	if math.Abs(total) > math.MaxInt64/2 {
		return nil
	}
	return types.Duration(math.Round(total))
}

var zoneCache sync.Map // name -> *time.Location or nil

func loadZone(name string) *time.Location {
	if v, ok := zoneCache.Load(name); ok {
		loc, _ := v.(*time.Location)
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		loc = nil
	}
	zoneCache.Store(name, loc)
	return loc
}

// shiftZone converts between UTC and the wall-clock time of a time zone.
func shiftZone(a []any, toLocal bool) any {
	d, ok := asDate(a[0])
	loc := loadZone(str(a[1]))
	if !ok || loc == nil {
		return nil
	}
	frac := int64(d) % int64(types.Second)
	t := d.Time().Truncate(time.Second)
	if toLocal {
		w := t.In(loc)
		y, m, dd := w.Date()
		local := time.Date(y, m, dd, w.Hour(), w.Minute(), w.Second(), 0, time.UTC)
		return dateOrNull(int64(types.DateFromTime(local)) + frac)
	}
	return dateOrNull(int64(types.DateFromTime(localToUTC(t, loc))) + frac)
}

// localToUTC reads the wall-clock time of t (whose zone is ignored) in loc.
// A time the clocks repeat when they go back is the earlier instant; a time
// they skip when they go forward takes the offset in force after the jump,
// as Kusto's datetime_local_to_utc() does (local 02:00 in Brussels on
// 2022-03-27 is 00:00 UTC).
func localToUTC(t time.Time, loc *time.Location) time.Time {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0,
		time.UTC)
	offsetAt := func(u time.Time) time.Duration {
		_, off := u.In(loc).Zone()
		return time.Duration(off) * time.Second
	}
	before, after := offsetAt(wall.Add(-24*time.Hour)), offsetAt(wall.Add(24*time.Hour))
	var found []time.Time
	for _, off := range []time.Duration{before, after} {
		if u := wall.Add(-off); offsetAt(u) == off {
			found = append(found, u)
		}
	}
	switch {
	case len(found) == 0: // skipped
		return wall.Add(-after)
	case len(found) == 2 && found[1].Before(found[0]):
		return found[1]
	}
	return found[0]
}
