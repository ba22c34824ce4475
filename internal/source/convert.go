package source

import (
	"bytes"
	"math"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// valueError is a value that does not convert to its column's type; the
// reader adds file, line and column.
type valueError struct {
	want  types.Type
	found string
}

func (e *valueError) Error() string {
	return "expected " + e.want.String() + ", found " + e.found
}

func badValue(t types.Type, k kind, text []byte) error {
	var found string
	switch k {
	case kString:
		found = quoteFound(string(text))
	case kObject:
		found = "object"
	case kArray:
		found = "array"
	default:
		found = string(text)
		if len(found) > 40 {
			found = found[:40] + "..."
		}
	}
	return &valueError{want: t, found: found}
}

// appendJSON converts the JSON value at the lexer position and appends it
// to v. It returns a *valueError when the value does not fit v's type (the
// value is consumed either way) and a *lexError on bad syntax.
func appendJSON(l *lexer, v *column.Vector) error {
	k, text, err := l.scalar()
	if err != nil {
		return err
	}
	if k != kObject && k != kArray {
		return appendScalar(v, k, text, false)
	}
	if v.Type != types.Dynamic && v.Type != types.String {
		if err := l.skip(0); err != nil {
			return err
		}
		return badValue(v.Type, k, nil)
	}
	d, err := l.dynamic(0)
	if err != nil {
		return err
	}
	if v.Type == types.String {
		pushStr(v, types.FormatDynamic(d))
	} else {
		pushAny(v, d)
	}
	return nil
}

// appendDynamic converts an already decoded dynamic value (a row decoded
// before its record's category was known) and appends it to v.
func appendDynamic(v *column.Vector, d any) error {
	switch x := d.(type) {
	case nil:
		v.AppendNull()
		return nil
	case bool:
		if x {
			return appendScalar(v, kBool, trueText, false)
		}
		return appendScalar(v, kBool, falseText, false)
	case int64:
		return appendScalar(v, kNumber, strconv.AppendInt(nil, x, 10), false)
	case float64:
		return appendScalar(v, kNumber, strconv.AppendFloat(nil, x, 'g', -1, 64), false)
	case string:
		return appendScalar(v, kString, []byte(x), false)
	}
	switch v.Type {
	case types.Dynamic:
		pushAny(v, d)
	case types.String:
		pushStr(v, types.FormatDynamic(d))
	default:
		k := kObject
		if _, ok := d.([]any); ok {
			k = kArray
		}
		return badValue(v.Type, k, nil)
	}
	return nil
}

// appendScalar converts a scalar token and appends it to v. In CSV mode
// text is a cell: every cell is a string, and a dynamic cell holding any
// JSON value is parsed.
func appendScalar(v *column.Vector, k kind, text []byte, csv bool) error {
	if k == kNull {
		v.AppendNull()
		return nil
	}
	if v.Type == types.String {
		pushStr(v, string(text))
		return nil
	}
	if k == kString {
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			v.AppendNull()
			return nil
		}
	}
	ok := false
	switch v.Type {
	case types.Int, types.Long:
		if k == kNumber || k == kString {
			var n int64
			if n, ok = parseInteger(text); ok && v.Type == types.Int {
				ok = n >= math.MinInt32 && n <= math.MaxInt32
			}
			if ok {
				pushInt(v, n)
			}
		}
	case types.Real:
		if k == kNumber || k == kString {
			f, err := strconv.ParseFloat(string(text), 64)
			if ok = err == nil || isRangeErr(err); ok {
				pushReal(v, f)
			}
		}
	case types.Bool:
		var b bool
		if b, ok = parseBool(k, text); ok {
			pushBool(v, b)
		}
	case types.Datetime:
		if k == kString {
			var d types.Date
			if csv {
				d, ok = parseCSVDate(text)
			} else {
				d, ok = parseDate(text)
			}
			if ok {
				pushInt(v, int64(d))
			}
		}
	case types.Timespan:
		switch k {
		case kString:
			var d types.Duration
			if d, ok = types.ParseTimespan(string(text)); ok {
				pushInt(v, int64(d))
			}
		case kNumber:
			var n int64
			if n, ok = parseInteger(text); ok {
				pushInt(v, n) // ticks
			}
		}
	case types.Guid:
		if k == kString {
			u, err := uuid.ParseBytes(text)
			if ok = err == nil; ok {
				pushAny(v, u)
			}
		}
	case types.Decimal:
		if k == kNumber || k == kString {
			d, err := decimal.NewFromString(string(text))
			if ok = err == nil; ok {
				pushAny(v, d)
			}
		}
	case types.Dynamic:
		pushAny(v, scalarDynamic(k, text, csv))
		ok = true
	}
	if !ok {
		return badValue(v.Type, k, text)
	}
	return nil
}

// scalarDynamic converts a scalar token for a dynamic column. A string
// holding a JSON object or array (any JSON value, for a CSV cell) is
// parsed; Defender exports AdditionalFields that way.
func scalarDynamic(k kind, text []byte, csv bool) any {
	switch k {
	case kBool:
		return text[0] == 't'
	case kNumber:
		return numberValue(text)
	}
	if csv || text[0] == '{' || text[0] == '[' {
		l := newBytesLexer(text)
		if d, err := l.dynamic(0); err == nil {
			if _, more := l.skipWS(); !more {
				return d
			}
		}
	}
	return string(text)
}

// parseInteger parses an integer, also accepting an integral real such as
// 3.0 or 1e3.
func parseInteger(text []byte) (int64, bool) {
	if n, err := strconv.ParseInt(string(text), 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// parseBool accepts JSON true/false, the strings true/false in any case,
// and 0 and 1 as numbers or strings.
func parseBool(k kind, text []byte) (bool, bool) {
	switch k {
	case kBool:
		return text[0] == 't', true
	case kNumber, kString:
		switch {
		case string(text) == "1":
			return true, true
		case string(text) == "0":
			return false, true
		case k == kString && bytes.EqualFold(text, trueText):
			return true, true
		case k == kString && bytes.EqualFold(text, falseText):
			return false, true
		}
	}
	return false, false
}

// parseDate parses a datetime, taking a fast path for the ISO 8601 form
// exports use (2025-05-07T16:16:30.2240099Z) before types.ParseDatetime.
func parseDate(text []byte) (types.Date, bool) {
	if d, ok := parseISODate(text); ok {
		return d, true
	}
	return types.ParseDatetime(string(text))
}

// parseISODate parses exactly YYYY-MM-DDThh:mm:ss[.f{1,7}]Z.
func parseISODate(b []byte) (types.Date, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' ||
		b[16] != ':' || b[len(b)-1] != 'Z' {
		return 0, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || year < 1 || month < 1 || month > 12 ||
		day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return 0, false
	}
	var frac int64
	if rest := b[19 : len(b)-1]; len(rest) > 0 {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 8 {
			return 0, false
		}
		f, ok := digits(rest[1:])
		if !ok {
			return 0, false
		}
		for i := len(rest) - 1; i < 7; i++ {
			f *= 10
		}
		frac = int64(f)
	}
	if day > daysIn(year, month) {
		return 0, false
	}
	secs := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec)
	return unixEpoch + types.Date(secs*10_000_000+frac), true
}

// unixEpoch is 1970-01-01T00:00:00Z.
var unixEpoch = types.DateFromTime(time.Unix(0, 0))

// daysIn returns the number of days of a month (1-12) of the proleptic
// Gregorian calendar.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days from 1970-01-01 to a date of the proleptic
// Gregorian calendar, for years 0 and on.
func daysFromCivil(year, month, day int) int64 {
	if month <= 2 {
		year--
	}
	era := year / 400
	if year < 0 {
		era = (year - 399) / 400
	}
	yoe := year - era*400                     // [0, 399]
	doy := (153*((month+9)%12)+2)/5 + day - 1 // from March 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// digits parses a run of ASCII digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// The push functions append a non-null value, keeping Nulls aligned.

func pushStr(v *column.Vector, s string) {
	v.Str = append(v.Str, s)
	if v.Nulls != nil {
		v.Nulls = append(v.Nulls, false)
	}
}

func pushInt(v *column.Vector, n int64) {
	v.Int = append(v.Int, n)
	if v.Nulls != nil {
		v.Nulls = append(v.Nulls, false)
	}
}

func pushReal(v *column.Vector, f float64) {
	v.Real = append(v.Real, f)
	if v.Nulls != nil {
		v.Nulls = append(v.Nulls, false)
	}
}

func pushBool(v *column.Vector, b bool) {
	v.Bool = append(v.Bool, b)
	if v.Nulls != nil {
		v.Nulls = append(v.Nulls, false)
	}
}

func pushAny(v *column.Vector, x any) {
	v.Any = append(v.Any, x)
	if v.Nulls != nil {
		v.Nulls = append(v.Nulls, false)
	}
}

// popLast removes the last row of v, so a repeated key can replace the
// value appended for its first occurrence.
func popLast(v *column.Vector) {
	n := v.Len() - 1
	switch v.Type {
	case types.Bool:
		v.Bool = v.Bool[:n]
	case types.Int, types.Long, types.Datetime, types.Timespan:
		v.Int = v.Int[:n]
	case types.Real:
		v.Real = v.Real[:n]
	case types.String:
		v.Str = v.Str[:n]
	default:
		v.Any = v.Any[:n]
	}
	if v.Nulls != nil {
		v.Nulls = v.Nulls[:n]
	}
}
