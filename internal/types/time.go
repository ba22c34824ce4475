package types

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is the value of a Kusto datetime: 100-nanosecond ticks since 0001-01-01T00:00:00Z,
// the representation .NET and Kusto use, so every Kusto datetime
// (0001-01-01 to 9999-12-31) and its full precision fits.
type Date int64

// Duration is the value of a Kusto timespan in 100-nanosecond ticks.
type Duration int64

// Tick lengths of common units.
const (
	Tick        Duration = 1
	Microsecond Duration = 10
	Millisecond Duration = 10_000
	Second      Duration = 10_000_000
	Minute      Duration = 60 * Second
	Hour        Duration = 60 * Minute
	Day         Duration = 24 * Hour
)

// unixEpochTicks is 1970-01-01T00:00:00Z in ticks.
const unixEpochTicks = 621_355_968_000_000_000

// MinDatetime and MaxDatetime bound Kusto's datetime range.
const (
	MinDatetime Date = 0
	MaxDatetime Date = 3_155_378_975_999_999_999
)

// DateFromTime converts a Go time to a Kusto datetime (in UTC).
func DateFromTime(t time.Time) Date {
	sec := t.Unix()
	return Date((sec*10_000_000 + int64(t.Nanosecond()/100)) + unixEpochTicks)
}

// Time converts d to a Go time in UTC.
func (d Date) Time() time.Time {
	rel := int64(d) - unixEpochTicks
	sec := rel / 10_000_000
	rem := rel % 10_000_000
	if rem < 0 {
		rem += 10_000_000
		sec--
	}
	return time.Unix(sec, rem*100).UTC()
}

// String formats d as Kusto prints datetimes: ISO 8601 UTC with seven
// fractional digits, as in 2025-05-07T16:16:30.2240099Z.
func (d Date) String() string {
	t := d.Time()
	frac := (int64(d)%10_000_000 + 10_000_000) % 10_000_000
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%07dZ",
		t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), frac)
}

// String formats ts as Kusto prints timespans: [-][d.]hh:mm:ss[.fffffff].
func (ts Duration) String() string {
	var b strings.Builder
	v := int64(ts)
	if v < 0 {
		b.WriteByte('-')
		// The minimum int64 cannot be negated; it lies outside Kusto's range anyway.
		v = -v
	}
	days := v / int64(Day)
	v %= int64(Day)
	if days > 0 {
		b.WriteString(strconv.FormatInt(days, 10))
		b.WriteByte('.')
	}
	h := v / int64(Hour)
	v %= int64(Hour)
	m := v / int64(Minute)
	v %= int64(Minute)
	s := v / int64(Second)
	frac := v % int64(Second)
	fmt.Fprintf(&b, "%02d:%02d:%02d", h, m, s)
	if frac != 0 {
		fmt.Fprintf(&b, ".%07d", frac)
	}
	return b.String()
}

// datetimeLayouts are the Go layouts tried, in order, by ParseDatetime
// after ISO 8601 forms. They cover the forms Kusto's todatetime accepts.
var datetimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.9999999",
	"2006-01-02 15:04:05.9999999Z07:00",
	"2006-01-02 15:04:05.9999999Z",
	"2006-01-02 15:04:05.9999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006-01",
	"2006",
	"20060102",
	"20060102T150405Z",
	"20060102 15:04",
	time.RFC1123,
	time.RFC1123Z,
	// RFC 822 with two-digit years, with and without weekday, seconds and zone.
	"Mon, 2 Jan 06 15:04:05 MST",
	"Mon, 2 Jan 06 15:04:05",
	"Mon, 2 Jan 06 15:04",
	"Mon, 2 Jan 06 15:04 MST",
	"2 Jan 06 15:04:05 MST",
	"2 Jan 06 15:04:05",
	"2 Jan 06 15:04",
	"2 Jan 06 15:04 MST",
	// RFC 850, likewise.
	time.RFC850,
	"Monday, 2-Jan-06 15:04:05",
	"Monday, 2-Jan-06 15:04 MST",
	"Monday, 2-Jan-06 15:04",
	"2-Jan-06 15:04:05 MST",
	"2-Jan-06 15:04:05",
	"2-Jan-06 15:04 MST",
	"2-Jan-06 15:04",
	// The sortable forms: one-digit months and days, an optional zone name.
	"2006-1-2 15:04:05.9999999",
	"2006-1-2 15:04:05 MST",
	"2006-1-2 15:04",
	"2006-1-2 15:04 MST",
	"2006-1-2T15:04:05.9999999",
	"2006-1-2T15:04:05 MST",
	"2006-1-2T15:04",
	"2006-1-2T15:04 MST",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006",
	"Jan 2 2006",
	"Jan 2, 2006",
	"1/2/2006 15:04:05",
	"1-2-2006 15:04:05",
	"1-2-2006",
	"1/2/2006 3:04:05 PM",
	"1/2/2006, 3:04:05.999 PM",
	"1/2/2006, 3:04:05 PM",
	"1/2/2006",
	"2006/01/02 15:04:05",
	"2006/01/02",
}

// ParseDatetime parses a datetime the way Kusto's datetime() literal and
// todatetime() do. A time without a zone is UTC.
func ParseDatetime(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	for _, layout := range datetimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return DateFromTime(t), true
		}
	}
	return 0, false
}

// timespanUnits maps the unit suffixes of timespan literals to tick lengths.
var timespanUnits = map[string]Duration{
	"d": Day, "day": Day, "days": Day,
	"h": Hour, "hr": Hour, "hrs": Hour, "hour": Hour, "hours": Hour,
	"m": Minute, "min": Minute, "minute": Minute, "minutes": Minute,
	"s": Second, "sec": Second, "second": Second, "seconds": Second,
	"ms": Millisecond, "milli": Millisecond, "millis": Millisecond,
	"millisec": Millisecond, "millisecond": Millisecond, "milliseconds": Millisecond,
	"microsecond": Microsecond, "microseconds": Microsecond,
	"tick": Tick, "ticks": Tick,
}

// TimespanUnit returns the length of a timespan literal unit such as "d",
// "hours" or "ms", and whether the unit is known.
func TimespanUnit(unit string) (Duration, bool) {
	u, ok := timespanUnits[strings.ToLower(unit)]
	return u, ok
}

// ParseTimespan parses a timespan as Kusto's totimespan() and time() do:
// either a number with a unit ("1.5h", "30m", "10ms", "2d") or the
// [-][d.]hh:mm[:ss[.fffffff]] form. A bare number means days.
func ParseTimespan(s string) (Duration, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	neg := false
	body := s
	if body[0] == '-' {
		neg = true
		body = body[1:]
	}
	if strings.Contains(body, ":") {
		ts, ok := parseClockSpan(body)
		if !ok {
			return 0, false
		}
		if neg {
			ts = -ts
		}
		return ts, true
	}
	i := 0
	for i < len(body) && (body[i] >= '0' && body[i] <= '9' || body[i] == '.') {
		i++
	}
	num, unit := body[:i], strings.TrimSpace(body[i:])
	if num == "" {
		return 0, false
	}
	u := Day
	if unit != "" {
		var ok bool
		if u, ok = TimespanUnit(unit); !ok {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, false
	}
	ts := Duration(f*float64(u) + 0.5)
	if !strings.Contains(num, ".") {
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return 0, false
		}
		ts = Duration(n) * u
	}
	if neg {
		ts = -ts
	}
	return ts, true
}

// parseClockSpan parses [d.]hh:mm[:ss[.fffffff]].
func parseClockSpan(s string) (Duration, bool) {
	var days int64
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	head := parts[0]
	if dot := strings.IndexByte(head, '.'); dot >= 0 {
		d, err := strconv.ParseInt(head[:dot], 10, 64)
		if err != nil {
			return 0, false
		}
		days = d
		head = head[dot+1:]
	}
	h, err1 := strconv.ParseInt(head, 10, 64)
	m, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || h > 23 || m > 59 {
		return 0, false
	}
	var sec, frac int64
	if len(parts) == 3 {
		sp := parts[2]
		if dot := strings.IndexByte(sp, '.'); dot >= 0 {
			digits := sp[dot+1:]
			if digits == "" || len(digits) > 7 {
				return 0, false
			}
			f, err := strconv.ParseInt(digits, 10, 64)
			if err != nil {
				return 0, false
			}
			for i := len(digits); i < 7; i++ {
				f *= 10
			}
			frac = f
			sp = sp[:dot]
		}
		s, err := strconv.ParseInt(sp, 10, 64)
		if err != nil || s > 59 {
			return 0, false
		}
		sec = s
	}
	total := Duration(days)*Day + Duration(h)*Hour + Duration(m)*Minute +
		Duration(sec)*Second + Duration(frac)
	return total, true
}
