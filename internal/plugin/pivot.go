package plugin

import (
	"fmt"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/types"
)

func init() {
	Register(&Plugin{Name: "pivot", Bind: bindPivot, Run: runPivot})
	Register(&Plugin{Name: "narrow", Bind: bindNarrow, Run: runNarrow})
}

// pivotArgs are pivot's arguments after binding.
type pivotArgs struct {
	col  int   // the pivot column
	agg  int   // the argument index of the aggregate, -1 for count()
	keys []int // the group-by columns
}

// parsePivot reads pivot(Column [, Aggregate] [, Key, ...]).
func parsePivot(b *Binding) (*pivotArgs, error) {
	if len(b.Args) == 0 {
		return nil, argErrorf(-1, "expected a pivot column")
	}
	if b.Args[0].Col < 0 {
		return nil, argErrorf(0, "expected a column of the input as pivot column")
	}
	p := &pivotArgs{col: b.Args[0].Col, agg: -1}
	rest := b.Args[1:]
	if len(rest) > 0 && rest[0].Agg != "" {
		p.agg = 1
		rest = rest[1:]
	}
	for i, a := range rest {
		if a.Col < 0 {
			return nil, argErrorf(len(b.Args)-len(rest)+i, "expected a column of the input "+
				"to group by")
		}
		p.keys = append(p.keys, a.Col)
	}
	if len(p.keys) == 0 && len(rest) == 0 {
		// Group by every column but the pivot column and the aggregated one.
		aggCol := -1
		if p.agg >= 0 {
			aggCol = b.Args[1].AggCol
		}
		for i := range b.Input {
			if i != p.col && i != aggCol {
				p.keys = append(p.keys, i)
			}
		}
	}
	return p, nil
}

func bindPivot(b *Binding) (*Bound, error) {
	p, err := parsePivot(b)
	if err != nil {
		return nil, err
	}
	if b.Schema != nil {
		return &Bound{Out: b.Schema.Cols}, nil
	}
	var out column.Schema
	for _, k := range p.keys {
		out = append(out, b.Input[k])
	}
	return &Bound{Out: out, Open: true}, nil
}

func runPivot(r *Run) (*Output, error) {
	p, err := parsePivot(r.Binding)
	if err != nil {
		return nil, err
	}
	in := r.Input
	n := in.N()
	var agg *functions.Aggregate
	var aggArgs []*column.Vector
	var argTypes []types.Type
	cellType := types.Long
	if p.agg >= 0 {
		v := r.Args[p.agg]
		agg, aggArgs = v.Agg, v.AggArgs
		for _, a := range aggArgs {
			argTypes = append(argTypes, a.Type)
		}
		cellType = r.Binding.Args[p.agg].Type
	} else {
		agg, _ = functions.LookupAggregate("count")
	}
	// Groups and pivot values, each in order of first appearance.
	type group struct {
		row   int
		cells map[string]functions.Accumulator
	}
	var groups []*group
	byKey := map[string]*group{}
	var values []string
	seen := map[string]bool{}
	pivot := in.Rows.Cols[p.col]
	row := make([]any, len(aggArgs))
	for i := 0; i < n; i++ {
		key := rowKey(in.Rows.Cols, p.keys, i)
		g := byKey[key]
		if g == nil {
			g = &group{row: i, cells: map[string]functions.Accumulator{}}
			byKey[key] = g
			groups = append(groups, g)
		}
		val := formatCell(pivot.Value(i))
		if !seen[val] {
			seen[val] = true
			values = append(values, val)
		}
		acc := g.cells[val]
		if acc == nil {
			acc = agg.New(argTypes)
			g.cells[val] = acc
		}
		for j, a := range aggArgs {
			row[j] = a.Value(i)
		}
		acc.Add(row)
	}
	var out column.Schema
	for _, k := range p.keys {
		out = append(out, in.Schema[k])
	}
	nkeys := len(out)
	if r.Bound.Open {
		for _, v := range values {
			out = append(out, column.Field{Name: v, Type: cellType})
		}
	} else {
		out = r.Bound.Out
	}
	empty := agg.New(argTypes).Result()[0]
	if empty == nil {
		empty = zeroOf(cellType)
	}
	bld := newBuilder(out)
	for _, g := range groups {
		for c := range out {
			if c < nkeys && (!r.Bound.Open || c < len(p.keys)) {
				if i := in.Schema.Index(out[c].Name); i >= 0 && !r.Bound.Open {
					bld.cols[c].Append(conform(in.Rows.Cols[i].Value(g.row), out[c].Type))
					continue
				}
				bld.copyCol(c, in.Rows.Cols[p.keys[c]], g.row)
				continue
			}
			v := empty
			if acc := g.cells[out[c].Name]; acc != nil {
				v = acc.Result()[0]
			}
			bld.cols[c].Append(conform(v, out[c].Type))
		}
		bld.n++
	}
	return bld.table(), nil
}

// zeroOf returns the value an empty numeric pivot cell shows.
func zeroOf(t types.Type) any {
	switch t {
	case types.Long:
		return int64(0)
	case types.Int:
		return int32(0)
	case types.Real:
		return float64(0)
	}
	return nil
}

// rowKey renders the values of cols at row i as a map key.
func rowKey(vs []*column.Vector, cols []int, i int) string {
	var b []byte
	for _, c := range cols {
		b = fmt.Appendf(b, "%T:%v\x00", vs[c].Value(i), vs[c].Value(i))
	}
	return string(b)
}

// formatCell renders a value as Kusto's tostring() does, for column names.
func formatCell(v any) string {
	return functions.Convert(v, types.String).(string)
}

func bindNarrow(b *Binding) (*Bound, error) {
	if len(b.Args) != 0 {
		return nil, argErrorf(-1, "expected no arguments, found %d", len(b.Args))
	}
	return &Bound{Out: column.Schema{
		{Name: "Row", Type: types.Long}, {Name: "Column", Type: types.String},
		{Name: "Value", Type: types.String}}}, nil
}

// runNarrow unpivots the input: one row per input row and column, with the
// value as a string.
func runNarrow(r *Run) (*Output, error) {
	bld := newBuilder(r.Bound.Out)
	in := r.Input
	for i := 0; i < in.N(); i++ {
		for c, f := range in.Schema {
			bld.add(int64(i), f.Name, formatCell(in.Rows.Cols[c].Value(i)))
		}
	}
	return bld.table(), nil
}
