// Package types defines Kusto's scalar types and the Go representation of
// their values.
//
// A scalar value travels through huntql as a Go value whose static Kusto type
// is known from semantic analysis:
//
//	bool      bool
//	int       int32
//	long      int64
//	real      float64
//	decimal   decimal.Decimal
//	string    string (never null: Kusto has no null string, only "")
//	datetime  types.Date (100-nanosecond ticks since 0001-01-01 UTC)
//	timespan  types.Duration (100-nanosecond ticks)
//	guid      uuid.UUID
//	dynamic   nil, bool, int64, float64, string, Date, Duration,
//	          uuid.UUID, decimal.Decimal, []any or *Bag
//
// A nil Go value is Kusto's null of whatever the static type is.
package types

// Type is a Kusto scalar type.
type Type uint8

// The Kusto scalar types. Unknown marks an expression whose type could not be
// inferred (after an error) or a null literal before it is given a type.
const (
	Unknown Type = iota
	Bool
	Int
	Long
	Real
	Decimal
	String
	Datetime
	Timespan
	Guid
	Dynamic
	numTypes
)

var typeNames = [numTypes]string{
	Unknown:  "unknown",
	Bool:     "bool",
	Int:      "int",
	Long:     "long",
	Real:     "real",
	Decimal:  "decimal",
	String:   "string",
	Datetime: "datetime",
	Timespan: "timespan",
	Guid:     "guid",
	Dynamic:  "dynamic",
}

// String returns Kusto's name for the type.
func (t Type) String() string {
	if t < numTypes {
		return typeNames[t]
	}
	return "invalid"
}

// IsNumeric reports whether t is int, long, real or decimal.
func (t Type) IsNumeric() bool {
	return t == Int || t == Long || t == Real || t == Decimal
}

// IsInteger reports whether t is int or long.
func (t Type) IsInteger() bool { return t == Int || t == Long }

// aliases maps every spelling Kusto accepts for a type name.
var aliases = map[string]Type{
	"bool": Bool, "boolean": Bool,
	"int": Int, "int32": Int,
	"long": Long, "int64": Long,
	"real": Real, "double": Real,
	"decimal":  Decimal,
	"string":   String,
	"datetime": Datetime, "date": Datetime,
	"timespan": Timespan, "time": Timespan,
	"guid": Guid, "uniqueid": Guid,
	"dynamic": Dynamic,
}

// Parse returns the type a Kusto type name denotes, accepting Kusto's
// aliases (boolean, int64, double, date, time, uniqueid, ...). Type names
// are case-sensitive, as in Kusto: Double(1.5) is a call, not a literal.
func Parse(name string) (Type, bool) {
	t, ok := aliases[name]
	return t, ok
}

// Names returns the canonical names of all scalar types, in declaration order.
func Names() []string {
	return typeNames[Bool:]
}
