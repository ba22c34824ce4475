package plugin

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/types"
	"github.com/shopspring/decimal"
)

// builder accumulates the rows of an output table.
type builder struct {
	schema column.Schema
	cols   []*column.Vector
	n      int
}

func newBuilder(s column.Schema) *builder {
	b := &builder{schema: s, cols: make([]*column.Vector, len(s))}
	for i, f := range s {
		b.cols[i] = column.New(f.Type, 0)
	}
	return b
}

// add appends one row; each value is converted to its column's type.
func (b *builder) add(row ...any) {
	for i, v := range row {
		b.cols[i].Append(conform(v, b.schema[i].Type))
	}
	b.n++
}

// copyCol appends row i of src to column c.
func (b *builder) copyCol(c int, src *column.Vector, i int) {
	b.cols[c].AppendFrom(src, i)
}

func (b *builder) table() *Table {
	return &Table{Schema: b.schema, Rows: &column.Batch{Cols: b.cols, N: b.n}}
}

// conform converts v to a value of type t (nil when it cannot).
func conform(v any, t types.Type) any {
	if v == nil {
		return nil
	}
	switch t {
	case types.Dynamic, types.Unknown:
		return v
	case types.Int:
		if x, ok := v.(int32); ok {
			return x
		}
	case types.Long:
		if x, ok := v.(int64); ok {
			return x
		}
	case types.Real:
		if x, ok := v.(float64); ok {
			return x
		}
	case types.String:
		if x, ok := v.(string); ok {
			return x
		}
	case types.Decimal:
		if x, ok := v.(decimal.Decimal); ok {
			return x
		}
	}
	return functions.Convert(v, t)
}

// dynamicType returns the Kusto type of a value held in a dynamic.
func dynamicType(v any) types.Type {
	switch v.(type) {
	case bool:
		return types.Bool
	case int64, int32:
		return types.Long
	case float64:
		return types.Real
	case string:
		return types.String
	case types.Date:
		return types.Datetime
	case types.Duration:
		return types.Timespan
	case decimal.Decimal:
		return types.Decimal
	}
	return types.Dynamic
}

// colIndex returns the index of the input column an argument names, or -1.
func colIndex(b *Binding, i int) int {
	if i >= len(b.Args) {
		return -1
	}
	return b.Args[i].Col
}

// stringConst returns argument i as a constant string ("" while binding
// an expression whose value is not known yet).
func stringConst(b *Binding, i int, what string) (string, error) {
	a := b.Args[i]
	if !a.Const || a.Type != types.String {
		return "", argErrorf(i, "expected a constant string for %s, found %s", what, a.Type)
	}
	s, _ := a.Value.(string)
	return s, nil
}

// constTicks returns argument i, a constant datetime, timespan or integer,
// as an int64; known is false while binding an expression whose value is
// not known yet.
func constTicks(b *Binding, i int, what string) (n int64, known bool, err error) {
	a := b.Args[i]
	switch a.Type {
	case types.Datetime, types.Timespan, types.Long, types.Int:
	default:
		return 0, false, argErrorf(i, "expected a constant %s, found %s", what, a.Type)
	}
	if !a.Const {
		return 0, false, argErrorf(i, "expected a constant %s, found an expression of "+
			"the input columns", what)
	}
	if !a.Known {
		return 0, false, nil
	}
	n, ok := ticks(a.Value)
	if !ok {
		return 0, false, argErrorf(i, "expected a %s, found null", what)
	}
	return n, true, nil
}
