package functions

import (
	"math"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// This file converts runtime values between Kusto types. The evaluators
// accept any Go value an argument may hold at run time (a dynamic argument
// may carry any scalar), so they read their arguments through these helpers
// rather than by type assertion.

// str returns v as tostring() renders it; null is "".
func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return types.Format(v)
}

// asLong returns v as a long if it is a number (or a numeric string inside a
// dynamic value); reals are truncated toward zero.
func asLong(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, false
		}
		return int64(x), true
	case decimal.Decimal:
		return x.IntPart(), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		return parseLong(x)
	}
	return 0, false
}

// asReal returns v as a real if it is a number or a numeric string.
func asReal(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case decimal.Decimal:
		f, _ := x.Float64()
		return f, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		return parseReal(x)
	}
	return 0, false
}

func parseLong(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if f, ok := parseReal(s); ok && !math.IsNaN(f) && !math.IsInf(f, 0) &&
		f >= math.MinInt64 && f < math.MaxInt64 {
		return int64(f), true
	}
	return 0, false
}

func parseReal(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "nan":
		return math.NaN(), true
	case "infinity", "+infinity", "inf":
		return math.Inf(1), true
	case "-infinity", "-inf":
		return math.Inf(-1), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// asDate returns v as a datetime: a datetime, or a string in one of the
// forms todatetime() accepts.
func asDate(v any) (types.Date, bool) {
	switch x := v.(type) {
	case types.Date:
		return x, true
	case string:
		return types.ParseDatetime(x)
	}
	return 0, false
}

// asDuration returns v as a timespan: a timespan, or a timespan string.
func asDuration(v any) (types.Duration, bool) {
	switch x := v.(type) {
	case types.Duration:
		return x, true
	case string:
		return types.ParseTimespan(x)
	}
	return 0, false
}

// asGUID returns v as a guid.
func asGUID(v any) (uuid.UUID, bool) {
	switch x := v.(type) {
	case uuid.UUID:
		return x, true
	case string:
		x = strings.TrimSpace(x)
		if u, err := uuid.Parse(x); err == nil {
			return u, true
		}
		// Kusto also reads 32 hex digits with hyphens elsewhere, as
		// toguid("0123456789ab-cdef-0123-456789abcdef") in its documentation.
		if digits := strings.ReplaceAll(x, "-", ""); len(digits) == 32 {
			u, err := uuid.Parse(digits)
			return u, err == nil
		}
	}
	return uuid.UUID{}, false
}

// ToBool converts v to a bool as tobool() does: bools as they are, numbers
// true when non-zero, the strings "true" and "false" in any case (and "1",
// "0"). The second result is false when v is null or not convertible.
func ToBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case int64:
		return x != 0, true
	case int32:
		return x != 0, true
	case float64:
		if math.IsNaN(x) {
			return false, false
		}
		return x != 0, true
	case decimal.Decimal:
		return !x.IsZero(), true
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	}
	return false, false
}

// asTypeArg reads a type-literal argument: a types.Type or a type name.
func asTypeArg(v any) (types.Type, bool) {
	switch x := v.(type) {
	case types.Type:
		return x, true
	case string:
		name := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(x), "typeof("), ")")
		return types.Parse(name)
	}
	return types.Unknown, false
}

// Convert converts v to a value of type t as Kusto's conversion functions
// (toint, tolong, toreal, todecimal, tobool, todatetime, totimespan, toguid,
// tostring, todynamic) do, returning nil where they return null. The
// executor uses it to bring a value read from a dynamic operand to the
// static type semantic analysis assigned.
func Convert(v any, t types.Type) any {
	switch t {
	case types.String:
		return str(v)
	case types.Dynamic, types.Unknown:
		return v
	case types.Bool:
		if b, ok := ToBool(v); ok {
			return b
		}
	case types.Int:
		if n, ok := toLongValue(v); ok {
			return int32(n)
		}
	case types.Long:
		if n, ok := toLongValue(v); ok {
			return n
		}
	case types.Real:
		if f, ok := toRealValue(v); ok {
			return f
		}
	case types.Decimal:
		return toDecimalValue(v)
	case types.Datetime:
		if d, ok := asDate(v); ok {
			return d
		}
	case types.Timespan:
		switch x := v.(type) {
		case types.Duration:
			return x
		case string:
			if d, ok := types.ParseTimespan(x); ok {
				return d
			}
		case int64, int32, float64, decimal.Decimal:
			if n, ok := asLong(x); ok {
				return types.Duration(n)
			}
		}
	case types.Guid:
		if g, ok := asGUID(v); ok {
			return g
		}
	}
	return nil
}

// toLongValue is tolong(): numbers truncate, bools are 0 or 1, datetimes and
// timespans give their ticks, strings are parsed.
func toLongValue(v any) (int64, bool) {
	switch x := v.(type) {
	case types.Date:
		return int64(x), true
	case types.Duration:
		return int64(x), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) || x >= math.MaxInt64 || x < math.MinInt64 {
			return 0, false
		}
	}
	return asLong(v)
}

// toRealValue is todouble(): like toLongValue, but keeps fractions.
func toRealValue(v any) (float64, bool) {
	switch x := v.(type) {
	case types.Date:
		return float64(x), true
	case types.Duration:
		return float64(x), true
	}
	return asReal(v)
}

func toDecimalValue(v any) any {
	switch x := v.(type) {
	case decimal.Decimal:
		return x
	case int64:
		return decimal.NewFromInt(x)
	case int32:
		return decimal.NewFromInt(int64(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return decimalInRange(decimal.NewFromFloat(x))
	case bool:
		if x {
			return decimal.NewFromInt(1)
		}
		return decimal.Zero
	case string:
		d, err := decimal.NewFromString(strings.TrimSpace(x))
		if err != nil {
			return nil
		}
		return decimalInRange(d)
	}
	return nil
}

// maxDecimal is the largest magnitude of Kusto's 128-bit decimal (.NET's
// decimal.MaxValue, 2^96 - 1).
var maxDecimal = decimal.RequireFromString("79228162514264337593543950335")

// decimalInRange returns d, or nil when d is too large for a Kusto decimal:
// the conversion does not succeed.
func decimalInRange(d decimal.Decimal) any {
	if d.Abs().GreaterThan(maxDecimal) {
		return nil
	}
	return d
}

// isNumber reports whether v is a Go numeric value.
func isNumber(v any) bool {
	switch v.(type) {
	case int32, int64, float64, decimal.Decimal:
		return true
	}
	return false
}

// boolOrNull returns b as a value, or nil when ok is false.
func boolOrNull(b, ok bool) any {
	if !ok {
		return nil
	}
	return b
}
