package types

import (
	"strconv"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Format renders a scalar value as Kusto's tostring() does. A null renders
// as "" (the text form of every Kusto null).
func Format(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(x)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return FormatReal(x)
	case decimal.Decimal:
		return x.String()
	case string:
		return x
	case Date:
		return x.String()
	case Duration:
		return x.String()
	case uuid.UUID:
		return x.String()
	default:
		return FormatDynamic(v)
	}
}

// TypeOf returns the Kusto type of a Go scalar value, as a dynamic value's
// element reports it. Arrays and bags are dynamic; nil is Unknown.
func TypeOf(v any) Type {
	switch v.(type) {
	case nil:
		return Unknown
	case bool:
		return Bool
	case int32:
		return Int
	case int64:
		return Long
	case float64:
		return Real
	case decimal.Decimal:
		return Decimal
	case string:
		return String
	case Date:
		return Datetime
	case Duration:
		return Timespan
	case uuid.UUID:
		return Guid
	default:
		return Dynamic
	}
}
