package functions

import (
	"github.com/google/uuid"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the conversion functions (to*), the null and
// emptiness predicates, and the conditional functions (iff, case,
// coalesce, max_of, min_of).
//
// Conditional functions return the chosen argument as it is: iff(c, 1, 2.0)
// yields the Go int64 1 although its static type is real. Callers that store
// results into typed columns pass them through Convert.

func init() {
	scalar("tostring", func(_ *Context, a []any) any { return str(a[0]) }, "Scalar -> string")
	conv := func(name string, t types.Type, spec string) {
		scalar(name, func(_ *Context, a []any) any { return Convert(a[0], t) }, spec)
	}
	conv("toint", types.Int, "Scalar -> int")
	conv("tolong", types.Long, "Scalar -> long")
	conv("todouble", types.Real, "Scalar -> real")
	conv("toreal", types.Real, "Scalar -> real")
	conv("todecimal", types.Decimal, "Scalar -> decimal")
	conv("tobool", types.Bool, "Scalar -> bool")
	conv("toboolean", types.Bool, "Scalar -> bool")
	conv("todatetime", types.Datetime, "Scalar -> datetime")
	conv("totimespan", types.Timespan, "Scalar -> timespan")
	conv("toguid", types.Guid, "StringOrDynamic -> guid")
	parse := func(_ *Context, a []any) any { return parseJSONValue(a[0]) }
	parseJSON := scalar("parse_json", parse, "StringOrDynamic -> dynamic")
	alias("todynamic", scalar("todynamic", parse, "StringOrDynamic -> dynamic"))
	alias("toobject", scalar("toobject", parse, "StringOrDynamic -> dynamic"))

	scalar("isnull", func(_ *Context, a []any) any { return a[0] == nil }, "Scalar -> bool")
	scalar("isnotnull", func(_ *Context, a []any) any { return a[0] != nil }, "Scalar -> bool")
	scalar("isempty", func(_ *Context, a []any) any { return isEmpty(a[0]) }, "Scalar -> bool")
	scalar("isnotempty", func(_ *Context, a []any) any { return !isEmpty(a[0]) },
		"Scalar -> bool")
	alias("notempty", scalar("isnotempty", func(_ *Context, a []any) any {
		return !isEmpty(a[0])
	}, "Scalar -> bool"))
	alias("notnull", scalar("isnotnull", func(_ *Context, a []any) any {
		return a[0] != nil
	}, "Scalar -> bool"))
	scalar("not", func(_ *Context, a []any) any {
		b, ok := ToBool(a[0])
		return boolOrNull(!b, ok)
	}, "bool -> bool")
	alias("parsejson", parseJSON)
	scalar("new_guid", func(_ *Context, _ []any) any { return uuid.New() }, " -> guid").
		Volatile = true
	// ingestion_time() has no source in exported data: it is always null.
	scalar("ingestion_time", func(_ *Context, _ []any) any { return nil }, " -> datetime")
	scalar("gettype", func(_ *Context, a []any) any { return typeName(a[0]) }, "Scalar -> string")

	iff := scalar("iff", evalIff, "bool, Common, Common -> CommonND")
	alias("iif", iff)
	scalar("case", evalCase, "bool*, Common*, Common -> CommonND")
	scalar("coalesce", evalCoalesce, "Common* -> Common")
	scalar("max_of", func(_ *Context, a []any) any { return extremeOf(a, 1) },
		"CommonOrderable* -> Common")
	scalar("min_of", func(_ *Context, a []any) any { return extremeOf(a, -1) },
		"CommonOrderable* -> Common")
}

// parseJSONValue is parse_json(): a string is parsed as JSON (a string that
// is not JSON stays a string value); a dynamic value is returned as is.
func parseJSONValue(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if s == "" {
		return nil
	}
	j, err := types.ParseJSON(s)
	if err != nil {
		return s
	}
	return j
}

// isEmpty is isempty(): null or the empty string.
func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	}
	return false
}

func evalIff(_ *Context, a []any) any {
	if b, ok := ToBool(a[0]); ok && b {
		return a[1]
	}
	return a[2]
}

func evalCase(_ *Context, a []any) any {
	for i := 0; i+1 < len(a); i += 2 {
		if b, ok := ToBool(a[i]); ok && b {
			return a[i+1]
		}
	}
	return a[len(a)-1]
}

// evalCoalesce returns the first argument that is neither null nor the
// empty string.
func evalCoalesce(_ *Context, a []any) any {
	for _, v := range a {
		if !isEmpty(v) {
			return v
		}
	}
	if len(a) > 0 {
		if s, ok := a[len(a)-1].(string); ok {
			return s
		}
	}
	return nil
}

// extremeOf returns the largest (sign 1) or smallest (sign -1) non-null
// argument, or null when all are null.
func extremeOf(a []any, sign int) any {
	var best any
	for _, v := range a {
		if v == nil || isNaN(v) {
			continue
		}
		if best == nil || Compare(v, best)*sign > 0 {
			best = v
		}
	}
	return best
}

// mustScalar returns a registered scalar function; registration order
// within the package makes it a programming error if it is missing.
func mustScalar(name string) *Scalar {
	f, ok := LookupScalar(name)
	if !ok {
		panic("functions: " + name + " is not registered yet")
	}
	return f
}
