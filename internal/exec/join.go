package exec

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// joinOp is a hash join: it materializes the right side (the build side)
// as one batch of concatenated vectors and groups its rows by key, then
// streams the left side (the probe side) through it. Each probe batch
// yields the pairs of (left row, right row) to output, and the output
// columns are gathered from them one column at a time. Rows whose key holds
// a null match nothing.
type joinOp struct {
	n           *plan.Join
	left, right operator
	generic     bool // hash keys by their byte encoding whatever their types (tests)
	built       bool
	rtab        *column.Batch // all right rows
	keys        *joinKeys
	// The right rows of group g are rows[start[g]:start[g+1]], in input order.
	start, rows []int32
	matched     []bool // right rows matched so far (outer, semi, anti)
	seen        []bool // groups whose first left row was output (innerunique)
	rightCols   []int  // right columns in the output
	tailDone    bool
	gid         []int32 // scratch: the group of each probe row
	li, ri      []int   // scratch: the output's left and right rows (-1: none)
}

func (r *runner) join(n *plan.Join, left, right operator) (operator, error) {
	return newJoinOp(n, left, right, false), nil
}

func newJoinOp(n *plan.Join, left, right operator, generic bool) *joinOp {
	op := &joinOp{n: n, left: left, right: right, generic: generic}
	for i := range n.Right.Schema() {
		if n.Lookup && isIn(n.RightKeys, i) {
			continue
		}
		op.rightCols = append(op.rightCols, i)
	}
	return op
}

func isIn(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (op *joinOp) build() error {
	bs, err := drain(op.right)
	if err != nil {
		return err
	}
	op.rtab = withDicts(concatBatches(op.n.Right.Schema(), bs), op.rightCols)
	ts := make([]types.Type, len(op.n.RightKeys))
	for i, c := range op.n.RightKeys {
		ts[i] = op.rtab.Cols[c].Type
	}
	op.keys = newJoinKeys(ts, op.generic)
	gid := make([]int32, op.rtab.N)
	op.keys.assign(op.rtab, op.n.RightKeys, true, gid)
	// Lay the rows out group after group, each group's rows in input order.
	ng := int(op.keys.groups)
	op.start = make([]int32, ng+1)
	for _, g := range gid {
		if g >= 0 {
			op.start[g+1]++
		}
	}
	for g := range ng {
		op.start[g+1] += op.start[g]
	}
	op.rows = make([]int32, op.start[ng])
	next := append([]int32(nil), op.start[:ng]...)
	for j, g := range gid {
		if g >= 0 {
			op.rows[next[g]] = int32(j)
			next[g]++
		}
	}
	switch op.n.Kind {
	case plan.InnerUnique:
		op.seen = make([]bool, ng)
	case plan.FullOuter, plan.RightOuter, plan.RightSemi, plan.RightAnti:
		op.matched = make([]bool, op.rtab.N)
	}
	op.built = true
	return nil
}

// hits returns the right rows of group g (none for g < 0).
func (op *joinOp) hits(g int32) []int32 {
	if g < 0 {
		return nil
	}
	return op.rows[op.start[g]:op.start[g+1]]
}

func (op *joinOp) next() (*column.Batch, error) {
	if !op.built {
		if err := op.build(); err != nil {
			return nil, err
		}
	}
	for {
		b, err := op.left.next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			return op.tail()
		}
		if out := op.probe(b); out != nil {
			return out, nil
		}
	}
}

// probe joins the left batch b with the right side: it lists the output's
// (left row, right row) pairs in output order, then gathers the columns.
// It returns nil when no row results.
func (op *joinOp) probe(b *column.Batch) *column.Batch {
	op.gid = growInt32(op.gid, b.N)
	gid := op.gid
	op.keys.assign(b, op.n.LeftKeys, false, gid)
	li, ri := op.li[:0], op.ri[:0]
	switch kind := op.n.Kind; kind {
	case plan.InnerUnique:
		for i, g := range gid {
			if g < 0 || op.seen[g] {
				continue
			}
			op.seen[g] = true
			for _, j := range op.hits(g) {
				li, ri = append(li, i), append(ri, int(j))
			}
		}
	case plan.Inner:
		for i, g := range gid {
			for _, j := range op.hits(g) {
				li, ri = append(li, i), append(ri, int(j))
			}
		}
	case plan.LeftOuter, plan.FullOuter, plan.RightOuter:
		for i, g := range gid {
			hits := op.hits(g)
			for _, j := range hits {
				if op.matched != nil { // a left outer join owes no right rows
					op.matched[j] = true
				}
				li, ri = append(li, i), append(ri, int(j))
			}
			if len(hits) == 0 && kind != plan.RightOuter {
				li, ri = append(li, i), append(ri, -1)
			}
		}
	case plan.LeftSemi, plan.LeftAnti:
		want := kind == plan.LeftSemi
		for i, g := range gid {
			if (g >= 0 && op.start[g+1] > op.start[g]) == want {
				li = append(li, i)
			}
		}
	case plan.RightSemi, plan.RightAnti:
		for _, g := range gid {
			for _, j := range op.hits(g) {
				op.matched[j] = true
			}
		}
	}
	op.li, op.ri = li, ri
	if len(li) == 0 {
		return nil
	}
	out := &column.Batch{Cols: make([]*column.Vector, 0, len(op.n.Out)), N: len(li)}
	all := isIdentity(li, b.N)
	for _, v := range b.Cols {
		switch {
		case all:
			out.Cols = append(out.Cols, v)
		case sharedNulls(v): // a column the query does not read
			out.Cols = append(out.Cols, nullVector(v.Type, len(li)))
		default:
			out.Cols = append(out.Cols, v.Gather(li))
		}
	}
	if len(ri) == 0 { // semi and anti joins: left columns only
		return out
	}
	for _, rc := range op.rightCols {
		out.Cols = append(out.Cols, gatherOrNull(op.rtab.Cols[rc], ri))
	}
	return out
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
	out := &column.Batch{N: len(idx)}
	for _, f := range op.n.Left.Schema() {
		out.Cols = append(out.Cols, nullVector(f.Type, len(idx)))
	}
	for _, rc := range op.rightCols {
		out.Cols = append(out.Cols, op.rtab.Cols[rc].Gather(idx))
	}
	return out, nil
}

func (op *joinOp) close() {
	op.left.close()
	if op.right != nil {
		op.right.close()
	}
}

// streamingJoin reports whether a join of this kind yields, for each left
// batch, rows that depend on that batch and the right side alone, owing
// nothing at the end: such a join can probe left batches on several
// workers at once.
func streamingJoin(k plan.JoinKind) bool {
	switch k {
	case plan.Inner, plan.LeftOuter, plan.LeftSemi, plan.LeftAnti:
		return true
	}
	return false
}

// buildJoin builds the right side of a streaming join for the probers of
// several workers (see prober).
func (r *runner) buildJoin(n *plan.Join) (*joinOp, error) {
	right, err := r.build(n.Right)
	if err != nil {
		return nil, err
	}
	op := newJoinOp(n, nil, cancelable{right, r.ctx}, false)
	err = op.build()
	right.close()
	op.right = nil
	return op, err
}

// prober returns a join over left that shares op's built right side, with
// scratch of its own, for one worker; op's kind must be streaming.
func (op *joinOp) prober(left operator) *joinOp {
	p := *op
	p.left = left
	p.keys = op.keys.forProbe()
	p.gid, p.li, p.ri = nil, nil, nil
	return &p
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
		if out := op.expand(b); out.N > 0 {
			return out, nil
		}
	}
}

// expand returns the rows of b expanded. The columns not expanded are
// gathered by input row, keeping dictionaries and columns of nulls; the
// expanded ones and the item index are built element by element.
func (op *mvExpandOp) expand(b *column.Batch) *column.Batch {
	nc := len(op.n.Cols)
	exp := make([]*column.Vector, nc)
	for k, c := range op.n.Cols {
		exp[k] = column.New(op.n.Out[c].Type, b.N)
	}
	var index *column.Vector
	if op.n.ItemIndex != "" {
		index = column.New(types.Long, b.N)
	}
	idx := make([]int, 0, b.N)
	lists := make([][]any, nc)
	// Rows that share a bag (parse_json computed once per dictionary
	// value) share its one-key bags, as dynamic values are never changed.
	var bags map[*types.Bag][]any
	for i := 0; i < b.N; i++ {
		rows := 0
		for k, c := range op.n.Cols {
			v := b.Cols[c].Value(i)
			if bag, ok := v.(*types.Bag); ok {
				if bags == nil {
					bags = map[*types.Bag][]any{}
				}
				l, seen := bags[bag]
				if !seen {
					l = op.elements(bag)
					bags[bag] = l
				}
				lists[k] = l
			} else {
				lists[k] = op.elements(v)
			}
			rows = max(rows, len(lists[k]))
		}
		if op.n.Limit > 0 && int64(rows) > op.n.Limit {
			rows = int(op.n.Limit)
		}
		for r := 0; r < rows; r++ {
			idx = append(idx, i)
			for k := range lists {
				var v any
				if r < len(lists[k]) {
					v = lists[k][r]
				}
				exp[k].Append(castElement(v, op.n.Types[k]))
			}
			if index != nil {
				index.Append(int64(r))
			}
		}
	}
	out := &column.Batch{Cols: make([]*column.Vector, len(op.n.Out)), N: len(idx)}
	if out.N == 0 {
		return out
	}
	expanded := make([]bool, len(b.Cols))
	for k, c := range op.n.Cols {
		expanded[c] = true
		out.Cols[c] = exp[k]
	}
	for c, v := range b.Cols {
		switch {
		case expanded[c]:
		case sharedNulls(v):
			out.Cols[c] = column.Null(v.Type, out.N)
		default:
			out.Cols[c] = v.Gather(idx)
		}
	}
	if index != nil {
		out.Cols[len(b.Cols)] = index
	}
	return out
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
