package exec

import (
	"fmt"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// rowFn computes an expression's value for row i of a batch.
type rowFn func(b *column.Batch, i int) any

// compiled is an expression ready to evaluate over batches. Every
// expression has a row function; the common shapes also have a typed
// vector kernel (vec.go), which eval prefers. An expression that reads a
// single string column is evaluated once per dictionary value when that
// column's vector carries a dictionary, and otherwise, when it has no
// kernel or a costly one, once per distinct value through a memo
// (vec_dict.go).
type compiled struct {
	t   types.Type
	col int   // >= 0 when the expression is a plain column reference
	fn  rowFn // computes one row otherwise
	// vec computes a whole batch; nil when there is no kernel. It returns
	// nil for a batch it cannot take (a column of another type than
	// planned), which fn then computes row by row.
	vec vecFn
	// one is the only column the expression reads, or -1; dicts caches its
	// results per dictionary value when that column carries a dictionary,
	// and memo (nil for a cheap kernel) per distinct value when it does not.
	one   int
	dicts *dictCache
	memo  *memo
	// bagDyn is the dynamic column an expression over shared bags reads
	// (vec_bags.go), or -1; bagStr the string column it also reads, or -1.
	bagDyn, bagStr int
}

// compile turns a plan expression into a compiled one. Subtrees without
// column references are folded into constants once, here.
func (r *runner) compile(e plan.Expr) (*compiled, error) {
	if c, ok := e.(*plan.ColRef); ok {
		return &compiled{t: c.T, col: c.Index, one: -1, bagDyn: -1, bagStr: -1}, nil
	}
	vec, err := r.kernel(e)
	if err != nil {
		return nil, err
	}
	fn, err := r.rowFunc(e)
	if err != nil {
		return nil, err
	}
	c := &compiled{t: e.Type(), col: -1, fn: fn, vec: vec, one: -1, bagDyn: -1, bagStr: -1}
	if dyn, str, ok := bagColumns(e); ok && vec == nil {
		c.bagDyn, c.bagStr = dyn, str
	}
	if col, ok := soleColumn(e); ok {
		c.one, c.dicts = col, &dictCache{}
		if vec == nil || costly(e) {
			c.memo = &memo{}
		}
	}
	return c, nil
}

// eval computes c over every row of b.
func (c *compiled) eval(b *column.Batch) *column.Vector {
	if c.col >= 0 {
		return b.Cols[c.col]
	}
	if c.one >= 0 && c.one < len(b.Cols) {
		if v := b.Cols[c.one]; v != nil && v.Codes != nil {
			if out := c.dicts.eval(c, b, v); out != nil {
				return out
			}
		} else if v != nil && c.memo != nil {
			if out := c.memo.eval(c, b, v); out != nil {
				return out
			}
		}
	}
	if c.bagDyn >= 0 && c.bagDyn < len(b.Cols) && (c.bagStr < len(b.Cols)) {
		if out := c.evalBags(b); out != nil {
			return out
		}
	}
	return c.evalDirect(b)
}

// evalDirect computes c over every row of b without the dictionary.
func (c *compiled) evalDirect(b *column.Batch) *column.Vector {
	if c.vec != nil {
		if v := c.vec(b); v != nil {
			return v
		}
	}
	return c.evalRows(b)
}

// evalRows computes c row by row.
func (c *compiled) evalRows(b *column.Batch) *column.Vector {
	out := column.New(c.t, b.N)
	for i := 0; i < b.N; i++ {
		out.Append(conform(c.fn(b, i), c.t))
	}
	return out
}

// conform converts a function result to the Go type the vector of type t
// stores: iff(c, 1, 2.0) may return an int64 for a real result, and
// arithmetic over dynamic values returns whatever they held. A null string
// becomes "", since Kusto strings are never null.
func conform(v any, t types.Type) any {
	if v == nil {
		if t == types.String {
			return ""
		}
		return nil
	}
	switch t {
	case types.String:
		if _, ok := v.(string); ok {
			return v
		}
	case types.Long:
		if _, ok := v.(int64); ok {
			return v
		}
	case types.Int:
		if _, ok := v.(int32); ok {
			return v
		}
	case types.Real:
		if _, ok := v.(float64); ok {
			return v
		}
	case types.Bool:
		if _, ok := v.(bool); ok {
			return v
		}
	case types.Datetime:
		if _, ok := v.(types.Date); ok {
			return v
		}
	case types.Timespan:
		if _, ok := v.(types.Duration); ok {
			return v
		}
	case types.Dynamic, types.Unknown:
		return v
	}
	return functions.Convert(v, t)
}

// constant reports whether e reads no column and calls nothing volatile.
func constant(e plan.Expr) bool {
	switch e := e.(type) {
	case *plan.ColRef:
		return false
	case *plan.Const:
		return true
	case *plan.Call:
		if e.Fn != nil && e.Fn.Volatile {
			return false
		}
		return allConstant(e.Args)
	case *plan.Binary:
		return constant(e.L) && constant(e.R)
	case *plan.In:
		return constant(e.X) && allConstant(e.List) && e.Sub == nil
	case *plan.Scalar:
		return false
	case *plan.Between:
		return constant(e.X) && constant(e.Lo) && constant(e.Hi)
	case *plan.Member:
		return constant(e.X)
	case *plan.Index:
		return constant(e.X) && constant(e.Idx)
	case *plan.Neg:
		return constant(e.X)
	}
	return false
}

func allConstant(es []plan.Expr) bool {
	for _, e := range es {
		if !constant(e) {
			return false
		}
	}
	return true
}

// rowFunc builds the per-row evaluator of e.
func (r *runner) rowFunc(e plan.Expr) (rowFn, error) {
	if _, isConst := e.(*plan.Const); !isConst && constant(e) {
		fn, err := r.rowFuncNoFold(e)
		if err != nil {
			return nil, err
		}
		v := conform(fn(&column.Batch{}, 0), e.Type())
		return func(*column.Batch, int) any { return v }, nil
	}
	return r.rowFuncNoFold(e)
}

func (r *runner) rowFuncNoFold(e plan.Expr) (rowFn, error) {
	switch e := e.(type) {
	case *plan.Const:
		v := e.Value
		return func(*column.Batch, int) any { return v }, nil
	case *plan.ColRef:
		idx := e.Index
		return func(b *column.Batch, i int) any { return b.Cols[idx].Value(i) }, nil
	case *plan.Call:
		return r.callFunc(e)
	case *plan.Binary:
		l, err := r.rowFunc(e.L)
		if err != nil {
			return nil, err
		}
		rt, err := r.rowFunc(e.R)
		if err != nil {
			return nil, err
		}
		op := e.Fn.Eval
		return func(b *column.Batch, i int) any { return op(l(b, i), rt(b, i)) }, nil
	case *plan.In:
		return r.inFunc(e)
	case *plan.Scalar:
		v, err := r.subquery(e.Sub, 1)
		if err != nil {
			return nil, err
		}
		var x any
		if len(v) > 0 {
			x = v[0]
		}
		return func(*column.Batch, int) any { return x }, nil
	case *plan.Between:
		return r.betweenFunc(e)
	case *plan.GraphEach:
		return r.graphEach(e)
	case *plan.Member:
		x, err := r.rowFunc(e.X)
		if err != nil {
			return nil, err
		}
		key := e.Key
		return func(b *column.Batch, i int) any { return member(x(b, i), key) }, nil
	case *plan.Index:
		x, err := r.rowFunc(e.X)
		if err != nil {
			return nil, err
		}
		idx, err := r.rowFunc(e.Idx)
		if err != nil {
			return nil, err
		}
		return func(b *column.Batch, i int) any { return index(x(b, i), idx(b, i)) }, nil
	case *plan.Neg:
		x, err := r.rowFunc(e.X)
		if err != nil {
			return nil, err
		}
		minus, _ := functions.LookupBinary("-")
		var zero any = int64(0)
		switch e.X.Type() {
		case types.Int:
			zero = int32(0)
		case types.Real:
			zero = 0.0
		case types.Timespan:
			zero = types.Duration(0)
		}
		return func(b *column.Batch, i int) any { return minus.Eval(zero, x(b, i)) }, nil
	}
	return nil, fmt.Errorf("exec: cannot evaluate %T", e)
}

func (r *runner) callFunc(e *plan.Call) (rowFn, error) {
	args := make([]rowFn, len(e.Args))
	for i, a := range e.Args {
		f, err := r.rowFunc(a)
		if err != nil {
			return nil, err
		}
		args[i] = f
	}
	eval, fctx := e.Fn.Eval, r.fctx
	return func(b *column.Batch, i int) any {
		vals := make([]any, len(args))
		for k, a := range args {
			vals[k] = a(b, i)
		}
		return eval(fctx, vals)
	}, nil
}

// member reads key from a property bag; anything else yields null.
func member(v any, key string) any {
	if bag, ok := v.(*types.Bag); ok {
		x, _ := bag.Get(key)
		return x
	}
	return nil
}

// index reads an array element (negative indexes count from the end) or a
// bag property.
func index(v, idx any) any {
	switch x := v.(type) {
	case []any:
		var n int64
		switch i := idx.(type) {
		case int64:
			n = i
		case int32:
			n = int64(i)
		default:
			return nil
		}
		if n < 0 {
			n += int64(len(x))
		}
		if n < 0 || n >= int64(len(x)) {
			return nil
		}
		return x[n]
	case *types.Bag:
		if s, ok := idx.(string); ok {
			y, _ := x.Get(s)
			return y
		}
	}
	return nil
}

// inFunc evaluates in, !in, in~, !in~, has_any and has_all. A constant list
// is flattened (dynamic arrays contribute their elements) once; string
// membership then uses a hash set.
func (r *runner) inFunc(e *plan.In) (rowFn, error) {
	x, err := r.rowFunc(e.X)
	if err != nil {
		return nil, err
	}
	items := make([]rowFn, len(e.List))
	for i, l := range e.List {
		if items[i], err = r.rowFunc(l); err != nil {
			return nil, err
		}
	}
	flatten := func(b *column.Batch, i int) []any {
		var out []any
		for _, it := range items {
			v := it(b, i)
			if arr, ok := v.([]any); ok {
				out = append(out, arr...)
			} else {
				out = append(out, v)
			}
		}
		return out
	}
	var fixed []any
	if e.Sub != nil {
		if fixed, err = r.subquery(e.Sub, -1); err != nil {
			return nil, err
		}
		if fixed == nil {
			fixed = []any{}
		}
	} else if allConstant(e.List) {
		fixed = flatten(&column.Batch{}, 0)
	}
	list := func(b *column.Batch, i int) []any {
		if fixed != nil {
			return fixed
		}
		return flatten(b, i)
	}
	negate := strings.HasPrefix(e.Op, "!")
	switch e.Op {
	case "has_any", "has_all":
		all := e.Op == "has_all"
		return func(b *column.Batch, i int) any {
			s := types.Format(x(b, i))
			terms := toStrings(list(b, i))
			if all {
				return functions.HasAll(s, terms)
			}
			return functions.HasAny(s, terms)
		}, nil
	}
	fold := strings.HasSuffix(e.Op, "~")
	if fixed != nil && e.X.Type() == types.String {
		set := make(map[string]bool, len(fixed))
		for _, v := range fixed {
			s, ok := v.(string)
			if !ok {
				continue
			}
			if fold {
				s = strings.ToLower(s)
			}
			set[s] = true
		}
		return func(b *column.Batch, i int) any {
			s, _ := x(b, i).(string)
			if fold {
				s = strings.ToLower(s)
			}
			return set[s] != negate
		}, nil
	}
	return func(b *column.Batch, i int) any {
		v := x(b, i)
		if v == nil {
			return negate
		}
		return functions.InSet(v, list(b, i), fold) != negate
	}, nil
}

func toStrings(vs []any) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, types.Format(v))
	}
	return out
}

// betweenFunc evaluates lo <= x <= hi; a datetime range may give its upper
// end as a timespan after the lower end.
func (r *runner) betweenFunc(e *plan.Between) (rowFn, error) {
	x, err := r.rowFunc(e.X)
	if err != nil {
		return nil, err
	}
	lo, err := r.rowFunc(e.Lo)
	if err != nil {
		return nil, err
	}
	hi, err := r.rowFunc(e.Hi)
	if err != nil {
		return nil, err
	}
	ge, _ := functions.LookupBinary(">=")
	le, _ := functions.LookupBinary("<=")
	plus, _ := functions.LookupBinary("+")
	hiIsSpan := e.Hi.Type() == types.Timespan && e.Lo.Type() == types.Datetime
	not := e.Not
	return func(b *column.Batch, i int) any {
		v, l, h := x(b, i), lo(b, i), hi(b, i)
		if hiIsSpan {
			h = plus.Eval(l, h)
		}
		if v == nil || l == nil || h == nil {
			return nil
		}
		in := ge.Eval(v, l) == true && le.Eval(v, h) == true
		return in != not
	}, nil
}

// subquery runs a table once and returns the values of its first column
// (at most limit of them when limit >= 0).
func (r *runner) subquery(n plan.Node, limit int) ([]any, error) {
	op, err := r.build(n)
	if err != nil {
		return nil, err
	}
	defer op.close()
	var out []any
	for limit < 0 || len(out) < limit {
		b, err := op.next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		for i := 0; i < b.N && (limit < 0 || len(out) < limit); i++ {
			out = append(out, b.Cols[0].Value(i))
		}
	}
	return out, nil
}
