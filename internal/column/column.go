// Package column holds huntql's columnar data: typed vectors of values and
// batches of equal-length vectors, the unit every executor operator and
// every reader passes along.
package column

import (
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// BatchSize is the number of rows readers and operators aim to put in one batch.
const BatchSize = 4096

// Vector is one column of a batch: values of a single Kusto type stored in
// the typed slice that fits it. Exactly one data slice is used:
//
//	bool                          Bool
//	int, long, datetime, timespan Int (int values stay within int32)
//	real                          Real
//	string                        Str
//	decimal, guid, dynamic        Any (decimal.Decimal, uuid.UUID, dynamic value)
//
// Nulls marks null rows; it is nil when no row is null. String vectors are
// never null (Kusto has no null string). Dynamic nulls are nil in Any and
// need no Nulls entry, though they may have one.
//
// A string vector read from a dictionary-encoded source may also carry the
// dictionary: Dict holds distinct values and Codes one index into Dict per
// row, with Str[i] == Dict[Codes[i]] for every row. Str is filled, so code
// that ignores the dictionary stays correct; code that knows it may compute
// something once per dictionary value instead of once per row. Appending to
// a vector drops its dictionary.
//
// The one exception is a codes-only vector (CodesOnly): Str is nil and the
// rows are Dict[Codes[i]]. Only a reader asked for one makes it (the store,
// for a column the engine uses only through its codes, such as a summarize
// key); Len, Value, StrAt, Gather, Slice and AppendFrom read it as any
// string vector, and Strings fills Str in.
type Vector struct {
	Type  types.Type
	Nulls []bool // nil, or len == Len(); true marks a null row
	Bool  []bool
	Int   []int64
	Real  []float64
	Str   []string
	Any   []any
	Dict  []string // string vectors only: distinct values, or nil
	Codes []int32  // with Dict: Str[i] == Dict[Codes[i]]
}

// dropDict forgets the dictionary before a change to the rows.
func (v *Vector) dropDict() {
	if v.Codes != nil {
		v.Dict, v.Codes = nil, nil
	}
}

// New returns an empty vector of type t with room for n rows.
func New(t types.Type, n int) *Vector {
	v := &Vector{Type: t}
	switch t {
	case types.Bool:
		v.Bool = make([]bool, 0, n)
	case types.Int, types.Long, types.Datetime, types.Timespan:
		v.Int = make([]int64, 0, n)
	case types.Real:
		v.Real = make([]float64, 0, n)
	case types.String:
		v.Str = make([]string, 0, n)
	default:
		v.Any = make([]any, 0, n)
	}
	return v
}

// Len returns the number of rows.
func (v *Vector) Len() int {
	switch v.Type {
	case types.Bool:
		return len(v.Bool)
	case types.Int, types.Long, types.Datetime, types.Timespan:
		return len(v.Int)
	case types.Real:
		return len(v.Real)
	case types.String:
		if v.Str == nil && v.Codes != nil {
			return len(v.Codes)
		}
		return len(v.Str)
	default:
		return len(v.Any)
	}
}

// CodesOnly reports whether v is a string vector of dictionary codes
// without its strings (see Vector).
func (v *Vector) CodesOnly() bool { return v.Str == nil && v.Codes != nil }

// StrAt returns row i of a string vector.
func (v *Vector) StrAt(i int) string {
	if v.Str == nil && v.Codes != nil {
		return v.Dict[v.Codes[i]]
	}
	return v.Str[i]
}

// Strings returns the rows of a string vector: Str, or for a codes-only
// vector a new slice of them (v itself is not changed, so that vectors
// stay safe to share).
func (v *Vector) Strings() []string {
	if v.Str == nil && v.Codes != nil {
		str := make([]string, len(v.Codes))
		for i, c := range v.Codes {
			str[i] = v.Dict[c]
		}
		return str
	}
	return v.Str
}

// IsNull reports whether row i is null.
func (v *Vector) IsNull(i int) bool {
	if v.Nulls != nil && v.Nulls[i] {
		return true
	}
	if v.Any != nil && v.Type != types.Decimal && v.Type != types.Guid {
		return v.Any[i] == nil
	}
	return false
}

// Value returns row i as a Go scalar value (see package types), nil for null.
func (v *Vector) Value(i int) any {
	if v.Nulls != nil && v.Nulls[i] {
		return nil
	}
	switch v.Type {
	case types.Bool:
		return v.Bool[i]
	case types.Int:
		return int32(v.Int[i])
	case types.Long:
		return v.Int[i]
	case types.Datetime:
		return types.Date(v.Int[i])
	case types.Timespan:
		return types.Duration(v.Int[i])
	case types.Real:
		return v.Real[i]
	case types.String:
		return v.StrAt(i)
	default:
		return v.Any[i]
	}
}

// Append adds one value, which must be nil or of the vector's Go type
// (int32 and int64 are both accepted for integer-backed types).
func (v *Vector) Append(x any) {
	v.dropDict()
	if x == nil {
		v.AppendNull()
		return
	}
	if v.Nulls != nil {
		v.Nulls = append(v.Nulls, false)
	}
	switch v.Type {
	case types.Bool:
		v.Bool = append(v.Bool, x.(bool))
	case types.Int, types.Long, types.Datetime, types.Timespan:
		v.Int = append(v.Int, toInt64(x))
	case types.Real:
		v.Real = append(v.Real, x.(float64))
	case types.String:
		v.Str = append(v.Str, x.(string))
	default:
		v.Any = append(v.Any, x)
	}
}

func toInt64(x any) int64 {
	switch n := x.(type) {
	case int64:
		return n
	case int32:
		return int64(n)
	case types.Date:
		return int64(n)
	case types.Duration:
		return int64(n)
	case int:
		return int64(n)
	}
	panic("column: value of wrong type for integer vector")
}

// AppendNull adds a null row. For strings that is "", Kusto's empty string.
func (v *Vector) AppendNull() {
	if v.Type == types.String {
		v.dropDict()
		v.Str = append(v.Str, "")
		if v.Nulls != nil {
			v.Nulls = append(v.Nulls, false)
		}
		return
	}
	n := v.Len()
	if v.Nulls == nil {
		v.Nulls = make([]bool, n, cap(v.Int)+cap(v.Real)+cap(v.Bool)+cap(v.Any)+1)
	}
	v.Nulls = append(v.Nulls, true)
	switch v.Type {
	case types.Bool:
		v.Bool = append(v.Bool, false)
	case types.Int, types.Long, types.Datetime, types.Timespan:
		v.Int = append(v.Int, 0)
	case types.Real:
		v.Real = append(v.Real, 0)
	default:
		v.Any = append(v.Any, zeroAny(v.Type))
	}
}

func zeroAny(t types.Type) any {
	switch t {
	case types.Decimal:
		return decimal.Decimal{}
	case types.Guid:
		return uuid.UUID{}
	}
	return nil
}

// AppendFrom appends row i of src, which must have the same type.
func (v *Vector) AppendFrom(src *Vector, i int) {
	v.dropDict()
	if src.IsNull(i) {
		v.AppendNull()
		return
	}
	if v.Nulls != nil {
		v.Nulls = append(v.Nulls, false)
	}
	switch v.Type {
	case types.Bool:
		v.Bool = append(v.Bool, src.Bool[i])
	case types.Int, types.Long, types.Datetime, types.Timespan:
		v.Int = append(v.Int, src.Int[i])
	case types.Real:
		v.Real = append(v.Real, src.Real[i])
	case types.String:
		v.Str = append(v.Str, src.StrAt(i))
	default:
		v.Any = append(v.Any, src.Any[i])
	}
}

// Gather returns a new vector holding the rows of v at the given indexes, in order.
func (v *Vector) Gather(idx []int) *Vector {
	out := &Vector{Type: v.Type}
	if v.Nulls != nil {
		out.Nulls = make([]bool, len(idx))
		for j, i := range idx {
			out.Nulls[j] = v.Nulls[i]
		}
	}
	switch v.Type {
	case types.Bool:
		out.Bool = make([]bool, len(idx))
		for j, i := range idx {
			out.Bool[j] = v.Bool[i]
		}
	case types.Int, types.Long, types.Datetime, types.Timespan:
		out.Int = make([]int64, len(idx))
		for j, i := range idx {
			out.Int[j] = v.Int[i]
		}
	case types.Real:
		out.Real = make([]float64, len(idx))
		for j, i := range idx {
			out.Real[j] = v.Real[i]
		}
	case types.String:
		if !v.CodesOnly() {
			out.Str = make([]string, len(idx))
			for j, i := range idx {
				out.Str[j] = v.Str[i]
			}
		}
		if v.Codes != nil {
			out.Dict = v.Dict
			out.Codes = make([]int32, len(idx))
			for j, i := range idx {
				out.Codes[j] = v.Codes[i]
			}
		}
	default:
		out.Any = make([]any, len(idx))
		for j, i := range idx {
			out.Any[j] = v.Any[i]
		}
	}
	return out
}

// Slice returns rows [lo, hi) of v, sharing its storage (and dictionary).
func (v *Vector) Slice(lo, hi int) *Vector {
	if lo == 0 && hi == v.Len() {
		return v
	}
	out := &Vector{Type: v.Type}
	if v.Nulls != nil {
		out.Nulls = v.Nulls[lo:hi:hi]
	}
	switch v.Type {
	case types.Bool:
		out.Bool = v.Bool[lo:hi:hi]
	case types.Int, types.Long, types.Datetime, types.Timespan:
		out.Int = v.Int[lo:hi:hi]
	case types.Real:
		out.Real = v.Real[lo:hi:hi]
	case types.String:
		if !v.CodesOnly() {
			out.Str = v.Str[lo:hi:hi]
		}
		if v.Codes != nil {
			out.Dict = v.Dict
			out.Codes = v.Codes[lo:hi:hi]
		}
	default:
		out.Any = v.Any[lo:hi:hi]
	}
	return out
}

// Const returns a vector of n copies of x (nil for null) of type t.
func Const(t types.Type, x any, n int) *Vector {
	v := New(t, n)
	for i := 0; i < n; i++ {
		v.Append(x)
	}
	return v
}

// Field is a named, typed column of a schema.
type Field struct {
	Name string
	Type types.Type
}

// Schema is the ordered list of a table's columns.
type Schema []Field

// Index returns the position of the column named name, or -1.
func (s Schema) Index(name string) int {
	for i, f := range s {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Batch is a set of equal-length vectors, one per schema column.
type Batch struct {
	Cols []*Vector
	N    int // rows
}

// NewBatch returns an empty batch with one empty vector per schema column.
func NewBatch(s Schema, capacity int) *Batch {
	b := &Batch{Cols: make([]*Vector, len(s))}
	for i, f := range s {
		b.Cols[i] = New(f.Type, capacity)
	}
	return b
}

// Gather returns a batch of the given rows of b.
func (b *Batch) Gather(idx []int) *Batch {
	out := &Batch{Cols: make([]*Vector, len(b.Cols)), N: len(idx)}
	for i, c := range b.Cols {
		out.Cols[i] = c.Gather(idx)
	}
	return out
}

// Table is a fully materialized table: a schema and its batches.
type Table struct {
	Name    string
	Schema  Schema
	Batches []*Batch
}

// Rows returns the total number of rows.
func (t *Table) Rows() int {
	n := 0
	for _, b := range t.Batches {
		n += b.N
	}
	return n
}

// nullVectors holds, per type, a BatchSize vector of nulls that Null slices.
var nullVectors = func() map[types.Type]*Vector {
	m := map[types.Type]*Vector{}
	for t := types.Bool; t <= types.Dynamic; t++ {
		v := New(t, BatchSize)
		for i := 0; i < BatchSize; i++ {
			v.AppendNull()
		}
		m[t] = v
	}
	return m
}()

// Null returns a read-only vector of n nulls of type t. Vectors are never
// modified once built, so it may share storage with other Null vectors.
func Null(t types.Type, n int) *Vector {
	full, ok := nullVectors[t]
	if !ok || n > BatchSize {
		return Const(t, nil, n)
	}
	v := *full
	if v.Nulls != nil {
		v.Nulls = v.Nulls[:n:n]
	}
	switch {
	case v.Bool != nil:
		v.Bool = v.Bool[:n:n]
	case v.Int != nil:
		v.Int = v.Int[:n:n]
	case v.Real != nil:
		v.Real = v.Real[:n:n]
	case v.Str != nil:
		v.Str = v.Str[:n:n]
	case v.Any != nil:
		v.Any = v.Any[:n:n]
	}
	return &v
}
