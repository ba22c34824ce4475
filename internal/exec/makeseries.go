package exec

import (
	"math"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// maxSeriesLen is Kusto's limit on the arrays make-series builds (2^20).
const maxSeriesLen = 1 << 20

// axis is arithmetic on make-series axis values: integers (ticks for
// datetime and timespan) stay exact; reals use floating point.
type axis struct {
	t    types.Type
	real bool
}

func (ax axis) num(v any) (float64, int64, bool) {
	switch x := v.(type) {
	case types.Date:
		return float64(x), int64(x), true
	case types.Duration:
		return float64(x), int64(x), true
	case int64:
		return float64(x), x, true
	case int32:
		return float64(x), int64(x), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, 0, false
		}
		return x, int64(x), true
	}
	return 0, 0, false
}

// bins returns floor((x - base) / step) in the axis' arithmetic.
func (ax axis) bins(x, base, step any) (int64, bool) {
	xf, xi, ok1 := ax.num(x)
	bf, bi, ok2 := ax.num(base)
	sf, si, ok3 := ax.num(step)
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	if ax.real {
		return int64(math.Floor((xf - bf) / sf)), true
	}
	d := xi - bi
	q := d / si
	if d%si != 0 && (d < 0) != (si < 0) {
		q--
	}
	return q, true
}

// at returns base + k*step as a value of the axis type.
func (ax axis) at(base, step any, k int64) any {
	bf, bi, _ := ax.num(base)
	sf, si, _ := ax.num(step)
	if ax.real {
		return bf + float64(k)*sf
	}
	v := bi + k*si
	switch ax.t {
	case types.Datetime:
		return types.Date(v)
	case types.Timespan:
		return types.Duration(v)
	case types.Int:
		return int32(v)
	case types.Real:
		return float64(v)
	}
	return v
}

// binStart aligns x down to a multiple of step (bin(x, step)).
func (ax axis) binStart(x, step any) any {
	k, ok := ax.bins(x, ax.zero(), step)
	if !ok {
		return nil
	}
	return ax.at(ax.zero(), step, k)
}

func (ax axis) zero() any {
	if ax.real {
		return 0.0
	}
	switch ax.t {
	case types.Datetime:
		return types.Date(0)
	case types.Timespan:
		return types.Duration(0)
	}
	return int64(0)
}

// makeSeries runs make-series: it materializes its input, since the axis
// range may depend on all rows.
func (r *runner) makeSeries(n *plan.MakeSeries, in operator) (operator, error) {
	keys := make([]*compiled, len(n.Keys))
	for i, k := range n.Keys {
		c, err := r.compile(k)
		if err != nil {
			return nil, err
		}
		keys[i] = c
	}
	axisC, err := r.compile(n.Axis)
	if err != nil {
		return nil, err
	}
	konst := func(e plan.Expr) (any, error) {
		if e == nil {
			return nil, nil
		}
		fn, err := r.rowFunc(e)
		if err != nil {
			return nil, err
		}
		return fn(&column.Batch{}, 0), nil
	}
	from, err := konst(n.From)
	if err != nil {
		return nil, err
	}
	to, err := konst(n.To)
	if err != nil {
		return nil, err
	}
	step, err := konst(n.Step)
	if err != nil {
		return nil, err
	}
	defaults := make([]any, len(n.Defaults))
	for i, d := range n.Defaults {
		if defaults[i], err = konst(d); err != nil {
			return nil, err
		}
	}
	aggs := make([]*functions.Aggregate, len(n.Aggs))
	args := make([][]*compiled, len(n.Aggs))
	argTypes := make([][]types.Type, len(n.Aggs))
	for i, a := range n.Aggs {
		fn, ok := functions.LookupAggregate(a.Name)
		if !ok {
			return nil, errorf("aggregate %s is not implemented", a.Name)
		}
		aggs[i] = fn
		for _, x := range a.Args {
			c, err := r.compile(x)
			if err != nil {
				return nil, err
			}
			args[i] = append(args[i], c)
			argTypes[i] = append(argTypes[i], x.Type())
		}
	}
	ax := axis{t: n.Axis.Type(), real: n.Axis.Type() == types.Real}
	run := func() ([]*column.Batch, error) {
		if _, si, ok := ax.num(step); !ok || (!ax.real && si <= 0) || (ax.real && !(step.(float64) > 0)) {
			return nil, errorf("make-series expects a positive step, found %s", types.Format(step))
		}
		bs, err := drain(in)
		if err != nil {
			return nil, err
		}
		// First pass: the axis values, to find the range when it is open.
		type row struct {
			b *column.Batch
			i int
			x any
		}
		var rows []row
		axisVecs := make([]*column.Vector, len(bs))
		var lo, hi any
		less := func(p, q any) bool {
			pf, pi, _ := ax.num(p)
			qf, qi, _ := ax.num(q)
			if ax.real {
				return pf < qf
			}
			return pi < qi
		}
		for bi, b := range bs {
			axisVecs[bi] = axisC.eval(b)
			for i := 0; i < b.N; i++ {
				x := axisVecs[bi].Value(i)
				if _, _, ok := ax.num(x); !ok {
					continue
				}
				rows = append(rows, row{b, i, x})
				if lo == nil || less(x, lo) {
					lo = x
				}
				if hi == nil || less(hi, x) {
					hi = x
				}
			}
		}
		start := from
		if n.InRange {
			start = ax.binStart(from, step)
		} else if start == nil && lo != nil {
			start = ax.binStart(lo, step)
		}
		var count int64
		switch {
		case start == nil:
			count = 0
		case n.InRange:
			k, _ := ax.bins(to, start, step)
			count = k + 1
		case to != nil:
			k, _ := ax.bins(to, start, step)
			count = k
			if end := ax.at(start, step, k); less(end, to) {
				count++
			}
		case hi != nil:
			k, _ := ax.bins(hi, start, step)
			count = k + 1
		}
		if count < 0 {
			count = 0
		}
		if count > maxSeriesLen {
			return nil, errorf("make-series would build arrays of %d values; the limit is %d",
				count, maxSeriesLen)
		}
		type series struct {
			keys []any
			accs [][]functions.Accumulator // per aggregate, per bin (nil until used)
		}
		index := map[string]*series{}
		var order []*series
		var keyBuf []byte
		keyVecs := map[*column.Batch][]*column.Vector{}
		argVecs := map[*column.Batch][][]*column.Vector{}
		for _, b := range bs {
			kv := make([]*column.Vector, len(keys))
			for k, c := range keys {
				kv[k] = c.eval(b)
			}
			keyVecs[b] = kv
			av := make([][]*column.Vector, len(args))
			for a, cs := range args {
				for _, c := range cs {
					av[a] = append(av[a], c.eval(b))
				}
			}
			argVecs[b] = av
		}
		vals := make([]any, 0, 8)
		for _, rw := range rows {
			k, ok := ax.bins(rw.x, start, step)
			if !ok || k < 0 || k >= count {
				continue
			}
			kv := keyVecs[rw.b]
			keyBuf = keyBuf[:0]
			for _, v := range kv {
				keyBuf = appendKey(keyBuf, v, rw.i)
			}
			s := index[string(keyBuf)]
			if s == nil {
				s = &series{keys: make([]any, len(kv)), accs: make([][]functions.Accumulator, len(aggs))}
				for j, v := range kv {
					s.keys[j] = v.Value(rw.i)
				}
				for a := range aggs {
					s.accs[a] = make([]functions.Accumulator, count)
				}
				index[string(keyBuf)] = s
				order = append(order, s)
			}
			for a, fn := range aggs {
				acc := s.accs[a][k]
				if acc == nil {
					acc = fn.New(argTypes[a])
					s.accs[a][k] = acc
				}
				vals = vals[:0]
				for _, v := range argVecs[rw.b][a] {
					vals = append(vals, v.Value(rw.i))
				}
				acc.Add(vals)
			}
		}
		if len(order) == 0 && n.NonEmpty && len(keys) == 0 && start != nil {
			s := &series{accs: make([][]functions.Accumulator, len(aggs))}
			for a := range aggs {
				s.accs[a] = make([]functions.Accumulator, count)
			}
			order = append(order, s)
		}
		axisArr := make([]any, count)
		for k := range axisArr {
			axisArr[k] = ax.at(start, step, int64(k))
		}
		out := column.NewBatch(n.Out, len(order))
		for _, s := range order {
			c := 0
			for _, k := range s.keys {
				out.Cols[c].Append(conform(k, n.Out[c].Type))
				c++
			}
			for a := range aggs {
				arr := make([]any, count)
				for k, acc := range s.accs[a] {
					if acc == nil {
						arr[k] = defaults[a]
						continue
					}
					res := acc.Result()
					if len(res) > 0 {
						arr[k] = res[0]
					}
				}
				out.Cols[c].Append(arr)
				c++
			}
			out.Cols[c].Append(append([]any(nil), axisArr...))
			out.N++
		}
		return split(out), nil
	}
	return &lazyOp{in: in, run: run}, nil
}
