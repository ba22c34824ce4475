package exec

import (
	"sort"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// topNestedOp runs top-nested over its whole input.
type topNestedOp struct {
	n      *plan.TopNested
	keys   []*compiled     // per level
	args   [][][]*compiled // per level, per aggregate
	values []*compiled     // per level, over the aggregates' outputs
	others []any           // per level, the others key or nil
	aggs   [][]*functions.Aggregate
}

// tnLevel holds one level's evaluated inputs over all rows.
type tnLevel struct {
	key  *column.Vector
	args [][]*column.Vector
}

func (r *runner) topNested(n *plan.TopNested, in operator) (operator, error) {
	op := &topNestedOp{n: n}
	for _, l := range n.Levels {
		k, err := r.compile(l.Key)
		if err != nil {
			return nil, err
		}
		v, err := r.compile(l.Value)
		if err != nil {
			return nil, err
		}
		var args [][]*compiled
		var fns []*functions.Aggregate
		for _, a := range l.Aggs {
			fn, ok := functions.LookupAggregate(a.Name)
			if !ok {
				return nil, errorf("aggregate %s is not implemented", a.Name)
			}
			var cs []*compiled
			for _, x := range a.Args {
				c, err := r.compile(x)
				if err != nil {
					return nil, err
				}
				cs = append(cs, c)
			}
			args = append(args, cs)
			fns = append(fns, fn)
		}
		var others any
		if l.Others != nil {
			f, err := r.rowFunc(l.Others)
			if err != nil {
				return nil, err
			}
			others = conform(f(&column.Batch{}, 0), l.Key.Type())
		}
		op.keys = append(op.keys, k)
		op.values = append(op.values, v)
		op.args = append(op.args, args)
		op.aggs = append(op.aggs, fns)
		op.others = append(op.others, others)
	}
	return &lazyOp{in: in, run: func() ([]*column.Batch, error) {
		bs, err := drain(in)
		if err != nil {
			return nil, err
		}
		all := concat(bs)
		out := column.NewBatch(n.Out, 0)
		if all == nil {
			return []*column.Batch{out}, nil
		}
		levels := make([]tnLevel, len(n.Levels))
		for i := range n.Levels {
			levels[i].key = op.keys[i].eval(all)
			for _, cs := range op.args[i] {
				var vs []*column.Vector
				for _, c := range cs {
					vs = append(vs, c.eval(all))
				}
				levels[i].args = append(levels[i].args, vs)
			}
		}
		rows := make([]int, all.N)
		for i := range rows {
			rows[i] = i
		}
		op.level(levels, 0, rows, nil, out)
		return split(out), nil
	}}, nil
}

// tnGroup is one group of a level: its key, rows and value.
type tnGroup struct {
	key   any
	rows  []int
	value any
}

// level appends to out the rows of level i over the given input rows,
// each prefixed by the keys and values of the levels above.
func (op *topNestedOp) level(levels []tnLevel, i int, rows []int, prefix []any,
	out *column.Batch,
) {
	if i == len(levels) {
		for c, v := range prefix {
			out.Cols[c].Append(conform(v, op.n.Out[c].Type))
		}
		out.N++
		return
	}
	lv := levels[i]
	index := map[string]*tnGroup{}
	var groups []*tnGroup
	var buf []byte
	for _, r := range rows {
		buf = appendKey(buf[:0], lv.key, r)
		g := index[string(buf)]
		if g == nil {
			g = &tnGroup{key: lv.key.Value(r)}
			index[string(buf)] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, r)
	}
	vals := op.valueOf(i, levels, groups)
	for gi, g := range groups {
		g.value = vals[gi]
	}
	l := op.n.Levels[i]
	t := l.Value.Type()
	sort.SliceStable(groups, func(a, b int) bool {
		va, vb := groups[a].value, groups[b].value
		switch {
		case va == nil || vb == nil:
			return va != nil && vb == nil
		case l.Asc:
			return functions.Compare(va, vb) < 0
		}
		return functions.Compare(va, vb) > 0
	})
	kept := groups
	if l.N >= 0 && int64(len(groups)) > l.N {
		kept = groups[:l.N]
	}
	for _, g := range kept {
		op.level(levels, i+1, g.rows, append(append(prefix[:len(prefix):len(prefix)],
			g.key), conform(g.value, t)), out)
	}
	if l.Others != nil && len(kept) < len(groups) {
		var rest []int
		for _, g := range groups[len(kept):] {
			rest = append(rest, g.rows...)
		}
		v := op.valueOf(i, levels, []*tnGroup{{rows: rest}})[0]
		row := append(prefix[:len(prefix):len(prefix)], op.others[i], conform(v, t))
		for len(row) < len(op.n.Out) {
			row = append(row, nil)
		}
		op.level(levels, len(levels), nil, row, out)
	}
}

// valueOf computes level i's value for each group.
func (op *topNestedOp) valueOf(i int, levels []tnLevel, groups []*tnGroup) []any {
	l := op.n.Levels[i]
	var aggOut column.Schema
	for _, a := range l.Aggs {
		aggOut = append(aggOut, a.Out...)
	}
	b := column.NewBatch(aggOut, len(groups))
	argTypes := func(a *plan.AggCall) []types.Type {
		ts := make([]types.Type, len(a.Args))
		for k, x := range a.Args {
			ts[k] = x.Type()
		}
		return ts
	}
	for _, g := range groups {
		c := 0
		for ai, fn := range op.aggs[i] {
			acc := fn.New(argTypes(l.Aggs[ai]))
			vs := levels[i].args[ai]
			vals := make([]any, len(vs))
			for _, r := range g.rows {
				for k, v := range vs {
					vals[k] = v.Value(r)
				}
				acc.Add(vals)
			}
			for _, v := range acc.Result() {
				b.Cols[c].Append(conform(v, aggOut[c].Type))
				c++
			}
		}
		b.N++
	}
	if len(groups) == 0 {
		return nil
	}
	if len(aggOut) == 0 {
		// A constant value: evaluate it once per group over an empty row.
		b = &column.Batch{N: len(groups)}
	}
	v := op.values[i].eval(b)
	out := make([]any, len(groups))
	for k := range out {
		out[k] = v.Value(k)
	}
	return out
}
