package exec

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// serialize computes the window functions of n over all its input rows, in
// input order. Without calls the input passes through.
func (r *runner) serialize(n *plan.Serialize, in operator) (operator, error) {
	if len(n.Calls) == 0 {
		return in, nil
	}
	args := make([][]*compiled, len(n.Calls))
	for i, c := range n.Calls {
		for _, x := range c.Args {
			e, err := r.compile(x)
			if err != nil {
				return nil, err
			}
			args[i] = append(args[i], e)
		}
	}
	return &lazyOp{in: in, run: func() ([]*column.Batch, error) {
		bs, err := drain(in)
		if err != nil {
			return nil, err
		}
		all := concat(bs)
		if all == nil {
			return nil, nil
		}
		b := &column.Batch{Cols: append([]*column.Vector(nil), all.Cols...), N: all.N}
		for i, c := range n.Calls {
			vs := make([]*column.Vector, len(args[i]))
			for j, e := range args[i] {
				vs[j] = e.eval(b)
			}
			b.Cols = append(b.Cols, windowColumn(c, vs, b.N))
		}
		return split(b), nil
	}}, nil
}

// windowColumn computes one window function over n rows given its
// evaluated arguments.
func windowColumn(c *plan.WindowCall, args []*column.Vector, n int) *column.Vector {
	out := column.New(c.T, n)
	arg := func(k, i int) any {
		if k >= len(args) {
			return nil
		}
		return args[k].Value(i)
	}
	restart := func(k, i int) bool {
		b, ok := arg(k, i).(bool)
		return ok && b
	}
	switch c.Name {
	case "prev", "next":
		for i := 0; i < n; i++ {
			off := int64(1)
			if k, ok := toInt(arg(1, i)); ok {
				off = k
			} else if len(args) > 1 {
				out.AppendNull()
				continue
			}
			j := int64(i) - off
			if c.Name == "next" {
				j = int64(i) + off
			}
			if j >= 0 && j < int64(n) {
				out.Append(conform(args[0].Value(int(j)), c.T))
			} else {
				out.Append(conform(windowDefault(arg(2, i), c.T), c.T))
			}
		}
	case "row_number":
		var cur int64
		for i := 0; i < n; i++ {
			if i == 0 || restart(1, i) {
				cur = 1
				if len(args) > 0 {
					if k, ok := toInt(arg(0, i)); ok {
						cur = k
					}
				}
			} else {
				cur++
			}
			out.Append(cur)
		}
	case "row_cumsum":
		plus, _ := functions.LookupBinary("+")
		// The sum starts at (and restarts from) zero; nulls add nothing.
		zero := conform(int64(0), c.T)
		sum := zero
		for i := 0; i < n; i++ {
			if restart(1, i) {
				sum = zero
			}
			if x := args[0].Value(i); x != nil {
				if s := plus.Eval(sum, x); s != nil {
					sum = conform(s, c.T)
				}
			}
			out.Append(sum)
		}
	case "row_rank_dense", "row_rank_min":
		var rank, pos int64
		for i := 0; i < n; i++ {
			pos++
			switch {
			case i == 0 || restart(1, i):
				rank, pos = 1, 1
			case !sameValue(args[0], i, i-1):
				if c.Name == "row_rank_dense" {
					rank++
				} else {
					rank = pos
				}
			}
			out.Append(rank)
		}
	case "row_window_session":
		var start, prev any
		for i := 0; i < n; i++ {
			v := args[0].Value(i)
			fromFirst, _ := args[1].Value(i).(types.Duration)
			neighbours, _ := args[2].Value(i).(types.Duration)
			d, ok := v.(types.Date)
			s, sok := start.(types.Date)
			p, pok := prev.(types.Date)
			if !ok {
				start = nil
			} else if !sok || restart(3, i) || d >= s+types.Date(fromFirst) ||
				!pok || d >= p+types.Date(neighbours) {
				start = d
			}
			prev = v
			out.Append(start)
		}
	}
	return out
}

// windowDefault converts the default of prev or next to the column type;
// a default of another type that does not convert is null. An integer
// default of a datetime column counts ticks, as Kusto stores datetimes, so
// that next(Timestamp, 1, 0) is the earliest datetime, far from any other.
func windowDefault(v any, t types.Type) any {
	if v == nil {
		return nil
	}
	if n, ok := toInt(v); ok && t == types.Datetime {
		return types.Date(n)
	}
	return functions.Convert(v, t)
}

func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	}
	return 0, false
}

// sameValue reports whether rows i and j of v hold the same value; two
// nulls are the same.
func sameValue(v *column.Vector, i, j int) bool {
	ni, nj := v.IsNull(i), v.IsNull(j)
	if ni || nj {
		return ni == nj
	}
	return functions.Equal(v.Value(i), v.Value(j))
}
