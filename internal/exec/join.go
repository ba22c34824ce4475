package exec

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// joinOp is a hash join: it builds a table of the right side keyed on the
// join columns, then streams the left side through it. Rows whose key holds
// a null match nothing.
type joinOp struct {
	n           *plan.Join
	left, right operator
	built       bool
	rtab        *column.Batch // all right rows
	index       map[string][]int
	matched     []bool          // right rows matched so far (outer, semi, anti)
	seen        map[string]bool // left keys seen (innerunique)
	rightCols   []int           // right columns in the output
	tailDone    bool
	keyBuf      []byte
}

func (r *runner) join(n *plan.Join, left, right operator) (operator, error) {
	op := &joinOp{n: n, left: left, right: right}
	for i := range n.Right.Schema() {
		if n.Lookup && isIn(n.RightKeys, i) {
			continue
		}
		op.rightCols = append(op.rightCols, i)
	}
	return op, nil
}

func isIn(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// key encodes the key columns of row i; ok is false when a key is null.
func (op *joinOp) key(b *column.Batch, cols []int, i int) (string, bool) {
	op.keyBuf = op.keyBuf[:0]
	for _, c := range cols {
		if b.Cols[c].IsNull(i) {
			return "", false
		}
		op.keyBuf = appendKey(op.keyBuf, b.Cols[c], i)
	}
	return string(op.keyBuf), true
}

func (op *joinOp) build() error {
	bs, err := drain(op.right)
	if err != nil {
		return err
	}
	op.rtab = concat(bs)
	if op.rtab == nil {
		op.rtab = column.NewBatch(op.n.Right.Schema(), 0)
	}
	op.index = map[string][]int{}
	for i := 0; i < op.rtab.N; i++ {
		if k, ok := op.key(op.rtab, op.n.RightKeys, i); ok {
			op.index[k] = append(op.index[k], i)
		}
	}
	op.matched = make([]bool, op.rtab.N)
	op.seen = map[string]bool{}
	op.built = true
	return nil
}

func (op *joinOp) next() (*column.Batch, error) {
	if !op.built {
		if err := op.build(); err != nil {
			return nil, err
		}
	}
	kind := op.n.Kind
	for {
		b, err := op.left.next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			return op.tail()
		}
		out := column.NewBatch(op.n.Out, b.N)
		for i := 0; i < b.N; i++ {
			k, ok := op.key(b, op.n.LeftKeys, i)
			var hits []int
			if ok {
				hits = op.index[k]
			}
			switch kind {
			case plan.InnerUnique:
				if !ok || op.seen[k] {
					continue
				}
				op.seen[k] = true
				for _, j := range hits {
					op.emit(out, b, i, j)
				}
			case plan.Inner:
				for _, j := range hits {
					op.emit(out, b, i, j)
				}
			case plan.LeftOuter, plan.FullOuter, plan.RightOuter:
				for _, j := range hits {
					op.matched[j] = true
					op.emit(out, b, i, j)
				}
				if len(hits) == 0 && kind != plan.RightOuter {
					op.emit(out, b, i, -1)
				}
			case plan.LeftSemi:
				if len(hits) > 0 {
					op.emitLeft(out, b, i)
				}
			case plan.LeftAnti:
				if len(hits) == 0 {
					op.emitLeft(out, b, i)
				}
			case plan.RightSemi, plan.RightAnti:
				for _, j := range hits {
					op.matched[j] = true
				}
			}
		}
		if out.N > 0 {
			return out, nil
		}
	}
}

// tail emits, after the left side is done, the right rows that outer, semi
// and anti joins on the right owe.
func (op *joinOp) tail() (*column.Batch, error) {
	if op.tailDone {
		return nil, nil
	}
	op.tailDone = true
	kind := op.n.Kind
	var want bool
	switch kind {
	case plan.RightOuter, plan.FullOuter, plan.RightAnti:
		want = false
	case plan.RightSemi:
		want = true
	default:
		return nil, nil
	}
	var idx []int
	for j, m := range op.matched {
		if m == want {
			idx = append(idx, j)
		}
	}
	if len(idx) == 0 {
		return nil, nil
	}
	if kind == plan.RightSemi || kind == plan.RightAnti {
		return op.rtab.Gather(idx), nil
	}
	out := column.NewBatch(op.n.Out, len(idx))
	nl := len(op.n.Left.Schema())
	for _, j := range idx {
		for c := 0; c < nl; c++ {
			out.Cols[c].AppendNull()
		}
		for k, rc := range op.rightCols {
			out.Cols[nl+k].AppendFrom(op.rtab.Cols[rc], j)
		}
		out.N++
	}
	return out, nil
}

// emit appends left row i joined with right row j (j < 0: no right row).
func (op *joinOp) emit(out, b *column.Batch, i, j int) {
	nl := len(b.Cols)
	for c := 0; c < nl; c++ {
		out.Cols[c].AppendFrom(b.Cols[c], i)
	}
	for k, rc := range op.rightCols {
		if j < 0 {
			out.Cols[nl+k].AppendNull()
		} else {
			out.Cols[nl+k].AppendFrom(op.rtab.Cols[rc], j)
		}
	}
	out.N++
}

func (op *joinOp) emitLeft(out, b *column.Batch, i int) {
	for c := range b.Cols {
		out.Cols[c].AppendFrom(b.Cols[c], i)
	}
	out.N++
}

func (op *joinOp) close() {
	op.left.close()
	op.right.close()
}

// mvExpandOp expands dynamic arrays and bags into rows.
type mvExpandOp struct {
	n  *plan.MvExpand
	in operator
}

func newMvExpand(n *plan.MvExpand, in operator) operator {
	return &mvExpandOp{n: n, in: in}
}

func (op *mvExpandOp) next() (*column.Batch, error) {
	for {
		b, err := op.in.next()
		if b == nil || err != nil {
			return nil, err
		}
		out := column.NewBatch(op.n.Out, b.N)
		expanded := make(map[int]int, len(op.n.Cols))
		for k, c := range op.n.Cols {
			expanded[c] = k
		}
		for i := 0; i < b.N; i++ {
			lists := make([][]any, len(op.n.Cols))
			rows := 0
			for k, c := range op.n.Cols {
				lists[k] = op.elements(b.Cols[c].Value(i))
				rows = max(rows, len(lists[k]))
			}
			if op.n.Limit > 0 && int64(rows) > op.n.Limit {
				rows = int(op.n.Limit)
			}
			for r := 0; r < rows; r++ {
				for c := range b.Cols {
					k, isExp := expanded[c]
					if !isExp {
						out.Cols[c].AppendFrom(b.Cols[c], i)
						continue
					}
					var v any
					if r < len(lists[k]) {
						v = lists[k][r]
					}
					out.Cols[c].Append(castElement(v, op.n.Types[k]))
				}
				if op.n.ItemIndex != "" {
					out.Cols[len(b.Cols)].Append(int64(r))
				}
				out.N++
			}
		}
		if out.N > 0 {
			return out, nil
		}
	}
}

// elements lists what mv-expand makes rows of: an array's elements, a bag's
// properties (each as a one-key bag, or [key, value] with bagexpansion=array),
// or a scalar as itself. A null yields one null row, an empty array none.
func (op *mvExpandOp) elements(v any) []any {
	switch x := v.(type) {
	case nil:
		return []any{nil}
	case []any:
		return x
	case *types.Bag:
		out := make([]any, 0, x.Len())
		for _, k := range x.Keys() {
			val, _ := x.Get(k)
			if op.n.BagArray {
				out = append(out, []any{k, val})
				continue
			}
			one := types.NewBag()
			one.Set(k, val)
			out = append(out, one)
		}
		return out
	}
	return []any{v}
}

func (op *mvExpandOp) close() { op.in.close() }

// castDynamic converts an expanded element to the column type t, as
// mv-expand's "to typeof(t)" does; a failed conversion is null.
func castDynamic(v any, t types.Type) any {
	if t == types.Dynamic || v == nil {
		return v
	}
	return conform(convertScalar(v, t), t)
}

var converters = map[types.Type]string{
	types.Bool: "tobool", types.Int: "toint", types.Long: "tolong", types.Real: "toreal",
	types.Decimal: "todecimal", types.String: "tostring", types.Datetime: "todatetime",
	types.Timespan: "totimespan", types.Guid: "toguid",
}

// convertScalar converts v to type t with Kusto's to*() function for t.
func convertScalar(v any, t types.Type) any {
	name, ok := converters[t]
	if !ok {
		return v
	}
	fn, ok := functions.LookupScalar(name)
	if !ok {
		return nil
	}
	return fn.Eval(&functions.Context{}, []any{v})
}
