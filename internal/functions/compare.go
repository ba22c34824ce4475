package functions

import (
	"bytes"
	"cmp"
	"math"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// Equal reports whether a and b are equal under Kusto's == : numbers compare
// by value across int, long, real and decimal; a string compared with a
// value of another type (as a dynamic string against a datetime) is first
// converted to that type; arrays and bags compare structurally. A null is
// equal to nothing (== on nulls yields null, which callers treat as false).
func Equal(a, b any) bool {
	if a == nil || b == nil {
		return false
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return x == y
		}
		if c, ok := convertLike(x, b); ok {
			return Equal(c, b)
		}
		return false
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case int32:
			return x == int64(y)
		}
	case int32:
		switch y := b.(type) {
		case int64:
			return int64(x) == y
		case int32:
			return x == y
		}
	case bool:
		if y, ok := b.(bool); ok {
			return x == y
		}
	case types.Date:
		if y, ok := b.(types.Date); ok {
			return x == y
		}
	case types.Duration:
		if y, ok := b.(types.Duration); ok {
			return x == y
		}
	case uuid.UUID:
		if y, ok := b.(uuid.UUID); ok {
			return x == y
		}
	case []any, *types.Bag:
		switch b.(type) {
		case []any, *types.Bag:
			return types.FormatDynamic(a) == types.FormatDynamic(b)
		}
		return false
	}
	if s, ok := b.(string); ok {
		if c, ok := convertLike(s, a); ok {
			return Equal(a, c)
		}
		return false
	}
	if isNumber(a) && isNumber(b) {
		return compareNumbers(a, b) == 0 && !isNaN(a) && !isNaN(b)
	}
	return false
}

func isNaN(v any) bool {
	f, ok := v.(float64)
	return ok && math.IsNaN(f)
}

// convertLike converts the string s to the type of like, for comparing a
// dynamic string with a typed value.
func convertLike(s string, like any) (any, bool) {
	var c any
	switch like.(type) {
	case int64, int32:
		if n, ok := parseLongStrict(s); ok {
			c = n
		} else if f, ok := parseReal(s); ok {
			c = f
		}
	case float64, decimal.Decimal:
		if f, ok := parseReal(s); ok {
			c = f
		}
	case bool:
		switch strings.ToLower(s) {
		case "true":
			c = true
		case "false":
			c = false
		}
	case types.Date:
		if d, ok := types.ParseDatetime(s); ok {
			c = d
		}
	case types.Duration:
		if d, ok := types.ParseTimespan(s); ok {
			c = d
		}
	case uuid.UUID:
		if g, ok := asGUID(s); ok {
			c = g
		}
	}
	return c, c != nil
}

func parseLongStrict(s string) (int64, bool) {
	n, ok := parseLong(s)
	if !ok || strings.ContainsAny(s, ".eE") {
		return 0, false
	}
	return n, true
}

// equalFold is =~ : case-insensitive equality of the string forms.
func equalFold(a, b any) bool {
	return strings.EqualFold(str(a), str(b))
}

// rank orders values of different kinds in Compare.
func rank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case int32, int64, float64, decimal.Decimal:
		return 2
	case types.Date:
		return 3
	case types.Duration:
		return 4
	case string:
		return 5
	case uuid.UUID:
		return 6
	}
	return 7
}

// Compare orders a and b for sorting: -1, 0 or +1. Numbers compare by value
// across numeric types (NaN first), strings ordinally, bools false first,
// datetimes and timespans by ticks, guids by bytes; a string against a
// value of another type is converted to that type when it can be. Values of
// unrelated kinds are ordered by kind, so the order is total. Callers place
// nulls themselves; here null sorts first.
func Compare(a, b any) int {
	ra, rb := rank(a), rank(b)
	if ra != rb {
		if s, ok := a.(string); ok && b != nil {
			if c, ok := convertLike(s, b); ok {
				return Compare(c, b)
			}
		} else if s, ok := b.(string); ok && a != nil {
			if c, ok := convertLike(s, a); ok {
				return Compare(a, c)
			}
		}
		return cmp.Compare(ra, rb)
	}
	switch x := a.(type) {
	case nil:
		return 0
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case types.Date:
		return cmp.Compare(x, b.(types.Date))
	case types.Duration:
		return cmp.Compare(x, b.(types.Duration))
	case string:
		return strings.Compare(x, b.(string))
	case uuid.UUID:
		y := b.(uuid.UUID)
		return bytes.Compare(x[:], y[:])
	}
	if ra == 2 {
		return compareNumbers(a, b)
	}
	return strings.Compare(types.FormatDynamic(a), types.FormatDynamic(b))
}

// compareNumbers compares two Go numbers of any numeric type.
func compareNumbers(a, b any) int {
	if x, ok := intValue(a); ok {
		if y, ok := intValue(b); ok {
			return cmp.Compare(x, y)
		}
	}
	if x, ok := a.(decimal.Decimal); ok {
		if y, ok := b.(decimal.Decimal); ok {
			return x.Cmp(y)
		}
	}
	x, _ := asReal(a)
	y, _ := asReal(b)
	return cmp.Compare(x, y) // NaN sorts first
}

func intValue(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	}
	return 0, false
}

// InSet reports whether x equals an element of list under Kusto's `in`
// (or `in~` when caseInsensitive): Equal semantics, with dynamic-array
// elements of list flattened one level, and strings compared
// case-insensitively for in~. A null x is in no set.
func InSet(x any, list []any, caseInsensitive bool) bool {
	if x == nil {
		return false
	}
	for _, e := range list {
		if arr, ok := e.([]any); ok {
			if _, xIsArr := x.([]any); !xIsArr {
				if InSet(x, arr, caseInsensitive) {
					return true
				}
				continue
			}
		}
		if e == nil {
			continue
		}
		if caseInsensitive {
			if _, ok := x.(string); ok {
				if s, ok := e.(string); ok {
					if strings.EqualFold(x.(string), s) {
						return true
					}
					continue
				}
			}
			if equalFold(x, e) {
				return true
			}
			continue
		}
		if Equal(x, e) {
			return true
		}
	}
	return false
}
