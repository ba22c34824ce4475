package exec

import (
	"fmt"
	"math"
	"sort"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// QueryError is a failure of a query while it runs, such as a bad range step.
type QueryError struct{ Msg string }

func (e *QueryError) Error() string { return e.Msg }

func errorf(format string, args ...any) error {
	return &QueryError{Msg: fmt.Sprintf(format, args...)}
}

// sort orders all input rows by keys; with limit >= 0 it keeps only the
// first limit rows (top). The sort is stable, so ties keep input order.
func (r *runner) sort(keys []plan.SortKey, limit int64, in operator) (operator, error) {
	ks := make([]*compiled, len(keys))
	for i, k := range keys {
		c, err := r.compile(k.Expr)
		if err != nil {
			return nil, err
		}
		ks[i] = c
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
		kv := make([]*column.Vector, len(ks))
		for i, k := range ks {
			kv[i] = k.eval(all)
		}
		// before orders rows i and j, ties by input position, which makes
		// the order total and so the sort stable.
		before := func(i, j int) bool {
			for k, key := range keys {
				if c := compareRows(kv[k], i, j, key.Desc, key.NullsFirst); c != 0 {
					return c < 0
				}
			}
			return i < j
		}
		var idx []int
		if limit >= 0 && limit < int64(all.N)/8 {
			idx = firstRows(all.N, int(limit), before)
		} else {
			idx = make([]int, all.N)
			for i := range idx {
				idx[i] = i
			}
			sort.Slice(idx, func(a, b int) bool { return before(idx[a], idx[b]) })
			if limit >= 0 && int64(len(idx)) > limit {
				idx = idx[:limit]
			}
		}
		return split(all.Gather(idx)), nil
	}}, nil
}

// firstRows returns, in order, the first limit of rows 0..n-1 under the
// total order before. It keeps the best rows seen in a heap whose root is
// the worst of them, so top N of a large input costs n log N comparisons
// rather than a sort of every row.
func firstRows(n, limit int, before func(i, j int) bool) []int {
	if limit <= 0 {
		return nil
	}
	h := make([]int, 0, limit)
	// worse reports whether heap slot a holds a later row than slot b.
	worse := func(a, b int) bool { return before(h[b], h[a]) }
	down := func(i int) {
		for {
			l, w := 2*i+1, i
			if l < len(h) && worse(l, w) {
				w = l
			}
			if r := l + 1; r < len(h) && worse(r, w) {
				w = r
			}
			if w == i {
				return
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	for row := 0; row < n; row++ {
		if len(h) < limit {
			h = append(h, row)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !worse(i, p) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
			continue
		}
		if before(row, h[0]) {
			h[0] = row
			down(0)
		}
	}
	sort.Slice(h, func(a, b int) bool { return before(h[a], h[b]) })
	return h
}

// compareRows orders rows i and j of v: negative when i comes first. Nulls
// and NaNs go first or last whatever the direction, nulls outermost, as
// Kusto's sort documents: null, NaN, values with nulls first; values, NaN,
// null with nulls last.
func compareRows(v *column.Vector, i, j int, desc, nullsFirst bool) int {
	si, sj := special(v, i), special(v, j)
	if si != 0 || sj != 0 {
		if !nullsFirst {
			return cmp3(int64(si), int64(sj))
		}
		// Nulls first: null (2), then NaN (1), then values (0).
		return cmp3(int64(sj), int64(si))
	}
	var c int
	switch {
	case v.Int != nil:
		c = cmp3(v.Int[i], v.Int[j])
	case v.Str != nil:
		c = cmp3(v.Str[i], v.Str[j])
	case v.Real != nil:
		c = cmp3(v.Real[i], v.Real[j])
	default:
		c = functions.Compare(v.Value(i), v.Value(j))
	}
	if desc {
		return -c
	}
	return c
}

// special classifies row i of v for sorting: 2 for null, 1 for NaN, 0 for
// any other value.
func special(v *column.Vector, i int) int {
	switch {
	case v.IsNull(i):
		return 2
	case v.Real != nil && math.IsNaN(v.Real[i]):
		return 1
	}
	return 0
}

func cmp3[T int64 | string | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// concat joins batches into one (nil when there are none).
func concat(bs []*column.Batch) *column.Batch {
	switch len(bs) {
	case 0:
		return nil
	case 1:
		return bs[0]
	}
	n := 0
	for _, b := range bs {
		n += b.N
	}
	out := &column.Batch{Cols: make([]*column.Vector, len(bs[0].Cols)), N: n}
	for c := range out.Cols {
		v := column.New(bs[0].Cols[c].Type, n)
		for _, b := range bs {
			src := b.Cols[c]
			for i := 0; i < b.N; i++ {
				v.AppendFrom(src, i)
			}
		}
		out.Cols[c] = v
	}
	return out
}

// split cuts a batch into BatchSize pieces.
func split(b *column.Batch) []*column.Batch {
	if b.N <= column.BatchSize {
		return []*column.Batch{b}
	}
	var out []*column.Batch
	for start := 0; start < b.N; start += column.BatchSize {
		end := min(start+column.BatchSize, b.N)
		idx := make([]int, end-start)
		for i := range idx {
			idx[i] = start + i
		}
		out = append(out, b.Gather(idx))
	}
	return out
}

// lazyOp runs a materializing step on first next.
type lazyOp struct {
	in  operator
	run func() ([]*column.Batch, error)
	out []*column.Batch
	ran bool
}

func (op *lazyOp) next() (*column.Batch, error) {
	if !op.ran {
		op.ran = true
		bs, err := op.run()
		if err != nil {
			return nil, err
		}
		op.out = bs
	}
	if len(op.out) == 0 {
		return nil, nil
	}
	b := op.out[0]
	op.out = op.out[1:]
	return b, nil
}

func (op *lazyOp) close() {
	if op.in != nil {
		op.in.close()
	}
}

// values yields an inline table.
func (r *runner) values(n *plan.Values) (operator, error) {
	b := column.NewBatch(n.Out, len(n.Rows))
	for _, row := range n.Rows {
		for c, e := range row {
			fn, err := r.rowFunc(e)
			if err != nil {
				return nil, err
			}
			b.Cols[c].Append(conform(fn(&column.Batch{}, 0), n.Out[c].Type))
		}
		b.N++
	}
	return &batchOp{batches: []*column.Batch{b}}, nil
}

// maxRangeRows bounds range so that a typo cannot exhaust memory.
const maxRangeRows = 100_000_000

// rangeOp generates from, from+step, ... up to and including to.
func (r *runner) rangeOp(n *plan.Range) (operator, error) {
	vals := make([]any, 3)
	for i, e := range []plan.Expr{n.From, n.To, n.Step} {
		fn, err := r.rowFunc(e)
		if err != nil {
			return nil, err
		}
		vals[i] = fn(&column.Batch{}, 0)
	}
	t := n.Out[0].Type
	plus, _ := functions.LookupBinary("+")
	le, _ := functions.LookupBinary("<=")
	ge, _ := functions.LookupBinary(">=")
	from, to, step := vals[0], vals[1], vals[2]
	if from == nil || to == nil || step == nil {
		return &batchOp{}, nil
	}
	switch t {
	case types.Long:
		from, to = toLong(from), toLong(to)
		if s, ok := step.(int32); ok {
			step = int64(s)
		}
	case types.Real:
		from = functions.Convert(from, types.Real)
		to = functions.Convert(to, types.Real)
		step = functions.Convert(step, types.Real)
	}
	zero := map[types.Type]any{types.Long: int64(0), types.Real: 0.0}[t]
	if t == types.Datetime || t == types.Timespan {
		zero = types.Duration(0)
	}
	if zero != nil && functions.Compare(step, zero) == 0 {
		return nil, errorf("range step must not be zero")
	}
	neg := zero != nil && functions.Compare(step, zero) < 0
	var bs []*column.Batch
	b := column.NewBatch(n.Out, column.BatchSize)
	v := from
	for rows := 0; ; rows++ {
		if rows >= maxRangeRows {
			return nil, errorf("range yields more than %d rows", maxRangeRows)
		}
		cmp := le
		if neg {
			cmp = ge
		}
		if cmp.Eval(v, to) != true {
			break
		}
		b.Cols[0].Append(v)
		b.N++
		if b.N == column.BatchSize {
			if err := r.ctx.Err(); err != nil {
				return nil, err
			}
			bs = append(bs, b)
			b = column.NewBatch(n.Out, column.BatchSize)
		}
		v = plus.Eval(v, step)
		if v == nil {
			break
		}
	}
	if b.N > 0 {
		bs = append(bs, b)
	}
	return &batchOp{batches: bs}, nil
}

func toLong(v any) any {
	if i, ok := v.(int32); ok {
		return int64(i)
	}
	return v
}

// unionOp yields each input's batches in turn, mapped onto the output columns.
type unionOp struct {
	r    *runner
	n    *plan.Union
	cur  int
	op   operator
	outT column.Schema
}

func (r *runner) union(n *plan.Union) (operator, error) {
	return &unionOp{r: r, n: n, outT: n.Out}, nil
}

func (op *unionOp) next() (*column.Batch, error) {
	for op.cur < len(op.n.Ins) {
		if op.op == nil {
			in, err := op.r.build(op.n.Ins[op.cur])
			if err != nil {
				return nil, err
			}
			op.op = in
		}
		b, err := op.op.next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			op.op.close()
			op.op = nil
			op.cur++
			continue
		}
		out := &column.Batch{Cols: make([]*column.Vector, len(op.outT)), N: b.N}
		for j, src := range op.n.Maps[op.cur] {
			switch src {
			case -1:
				out.Cols[j] = column.Const(op.outT[j].Type, nil, b.N)
			case -2:
				out.Cols[j] = column.Const(op.outT[j].Type, op.n.Names[op.cur], b.N)
			default:
				out.Cols[j] = b.Cols[src]
			}
		}
		return out, nil
	}
	return nil, nil
}

func (op *unionOp) close() {
	if op.op != nil {
		op.op.close()
	}
}
