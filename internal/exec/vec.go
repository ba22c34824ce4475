package exec

import (
	"sync/atomic"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// This file builds the typed vector kernels of the common expression
// shapes: constants, comparisons, the string operators against a constant,
// in and has_any against constant lists, isempty and isnull, and, or and
// not, between, bin, and arithmetic. A kernel computes exactly what the
// row function computes for every row, nulls included (the tests in
// vec_test.go compare the two); every other shape keeps its row function.
//
// A kernel takes its operands as vectors computed by their own compiled
// expressions. The row function of a parent receives its children's values
// as they come, while a child evaluated row by row into a vector has them
// converted to its type (conform). So a kernel accepts a child evaluated
// row by row only where that conversion cannot change its result (bool
// operands of and, string operands of contains); elsewhere its operands
// must be exact: column references, constants or kernels.

// vecFn computes an expression over a whole batch, or returns nil when the
// batch's vectors are not of the types the kernel was built for.
type vecFn func(b *column.Batch) *column.Vector

// kernel returns the vector kernel of e, or nil when e has none.
func (r *runner) kernel(e plan.Expr) (vecFn, error) {
	if constant(e) {
		return r.constKernel(e)
	}
	if !pure(e) {
		return nil, nil
	}
	switch e := e.(type) {
	case *plan.Binary:
		return r.binaryKernel(e)
	case *plan.Call:
		return r.callKernel(e)
	case *plan.In:
		return r.inKernel(e)
	case *plan.Between:
		return r.betweenKernel(e)
	case *plan.Neg:
		return r.negKernel(e)
	}
	return nil, nil
}

// pure reports whether e is built of nodes whose row functions do nothing
// when built (no subquery runs, no graph is read), so that a kernel may
// compile its operands apart from its own row function.
func pure(e plan.Expr) bool {
	switch e := e.(type) {
	case *plan.ColRef, *plan.Const:
		return true
	case *plan.Call:
		return allPure(e.Args)
	case *plan.Binary:
		return pure(e.L) && pure(e.R)
	case *plan.In:
		return e.Sub == nil && pure(e.X) && allPure(e.List)
	case *plan.Between:
		return pure(e.X) && pure(e.Lo) && pure(e.Hi)
	case *plan.Member:
		return pure(e.X)
	case *plan.Index:
		return pure(e.X) && pure(e.Idx)
	case *plan.Neg:
		return pure(e.X)
	}
	return false
}

func allPure(es []plan.Expr) bool {
	for _, e := range es {
		if !pure(e) {
			return false
		}
	}
	return true
}

// constKernel yields a constant's vector, sharing one vector of it among
// batches (vectors are never modified once built).
func (r *runner) constKernel(e plan.Expr) (vecFn, error) {
	fn, err := r.rowFunc(e)
	if err != nil {
		return nil, err
	}
	t := e.Type()
	v := conform(fn(&column.Batch{}, 0), t)
	var last atomic.Pointer[column.Vector]
	return func(b *column.Batch) *column.Vector {
		full := last.Load()
		if full == nil || full.Len() < b.N {
			full = column.Const(t, v, max(b.N, 1))
			last.Store(full)
		}
		out := *full.Slice(0, b.N)
		return &out
	}, nil
}

// operand is a kernel's operand: a compiled expression, or a constant.
type operand struct {
	c     *compiled // nil for a constant
	val   any       // the constant, as the row function passes it on
	t     types.Type
	konst bool
}

func (r *runner) operand(e plan.Expr) (operand, error) {
	if constant(e) {
		fn, err := r.rowFunc(e)
		if err != nil {
			return operand{}, err
		}
		return operand{val: fn(&column.Batch{}, 0), t: e.Type(), konst: true}, nil
	}
	c, err := r.compile(e)
	if err != nil {
		return operand{}, err
	}
	return operand{c: c, t: e.Type()}, nil
}

// exact reports whether the operand's vector holds exactly the values its
// row function yields.
func (o operand) exact() bool {
	return o.konst || o.c.col >= 0 || o.c.vec != nil
}

// vector computes the operand over b; nil when its vector is not of the
// planned type.
func (o operand) vector(b *column.Batch) *column.Vector {
	v := o.c.eval(b)
	if v == nil || v.Type != o.t || v.Len() != b.N {
		return nil
	}
	return v
}

// kind groups types by the Go slice and comparison their values use.
type kind int

const (
	kNone kind = iota
	kInt       // int, long
	kReal
	kDate
	kSpan
	kBool
	kStr
)

func kindOf(t types.Type) kind {
	switch t {
	case types.Int, types.Long:
		return kInt
	case types.Real:
		return kReal
	case types.Datetime:
		return kDate
	case types.Timespan:
		return kSpan
	case types.Bool:
		return kBool
	case types.String:
		return kStr
	}
	return kNone
}

// constOf checks that a constant operand holds a value of kind k (or
// null) and returns it in the form the kernels use.
func constOf(o operand, k kind) (i int64, f float64, s string, b bool, null, ok bool) {
	switch x := o.val.(type) {
	case nil:
		return 0, 0, "", false, true, true
	case int64:
		return x, float64(x), "", false, false, k == kInt || k == kReal
	case int32:
		return int64(x), float64(x), "", false, false, k == kInt || k == kReal
	case float64:
		return 0, x, "", false, false, k == kReal
	case types.Date:
		return int64(x), 0, "", false, false, k == kDate
	case types.Duration:
		return int64(x), 0, "", false, false, k == kSpan
	case string:
		return 0, 0, x, false, false, k == kStr
	case bool:
		return 0, 0, "", x, false, k == kBool
	}
	return 0, 0, "", false, false, false
}

func (r *runner) binaryKernel(e *plan.Binary) (vecFn, error) {
	switch e.Op {
	case "==", "!=", "<", "<=", ">", ">=":
		return r.compareKernel(e)
	case "and", "or":
		return r.logicKernel(e)
	case "+", "-", "*", "/", "%":
		return r.arithKernel(e)
	case "matches regex":
		return r.regexKernel(e)
	}
	if _, ok := functions.StringMatcher(e.Op, ""); ok {
		return r.stringOpKernel(e)
	}
	return nil, nil
}

func (r *runner) callKernel(e *plan.Call) (vecFn, error) {
	if e.Fn == nil {
		return nil, nil
	}
	switch e.Fn.Name {
	case "isempty", "isnotempty", "notempty", "isnull", "isnotnull", "notnull":
		if len(e.Args) == 1 {
			return r.emptyKernel(e.Fn.Name, e.Args[0])
		}
	case "not":
		if len(e.Args) == 1 {
			return r.notKernel(e.Args[0])
		}
	case "bin", "floor":
		if len(e.Args) == 2 {
			return r.binKernel(e)
		}
	case "iff", "iif", "case":
		if len(e.Args)%2 == 1 {
			return r.caseKernel(e)
		}
	case "tolower", "toupper":
		if len(e.Args) == 1 {
			return r.caseFoldKernel(e.Fn.Name, e.Args[0])
		}
	case "strlen":
		if len(e.Args) == 1 {
			return r.strlenKernel(e.Args[0])
		}
	}
	return nil, nil
}

// selection returns the rows where the predicate mask (of n rows) is true,
// or all when every row is.
func selection(mask *column.Vector, n int) (idx []int, all bool) {
	if mask.Type != types.Bool || len(mask.Bool) != n {
		for i := 0; i < n; i++ {
			if truthy(mask, i) {
				idx = append(idx, i)
			}
		}
		return idx, len(idx) == n
	}
	count := 0
	for i, v := range mask.Bool {
		if v && !nullAt(mask.Nulls, i) {
			count++
		}
	}
	if count == n || count == 0 {
		return nil, count == n
	}
	idx = make([]int, 0, count)
	for i, v := range mask.Bool {
		if v && !nullAt(mask.Nulls, i) {
			idx = append(idx, i)
		}
	}
	return idx, false
}

// gather returns the given rows of b. A column of nulls that shares the
// storage of column.Null (as scans give for the columns a query does not
// read) stays such a column rather than being copied.
func gather(b *column.Batch, idx []int) *column.Batch {
	out := &column.Batch{Cols: make([]*column.Vector, len(b.Cols)), N: len(idx)}
	for i, v := range b.Cols {
		if sharedNulls(v) {
			out.Cols[i] = column.Null(v.Type, len(idx))
		} else {
			out.Cols[i] = v.Gather(idx)
		}
	}
	return out
}

// sharedNulls reports whether v is a vector of nulls made by column.Null.
func sharedNulls(v *column.Vector) bool {
	if v.Len() == 0 || v.Codes != nil || int(v.Type) >= len(nullStorage) {
		return false
	}
	z := &nullStorage[v.Type]
	switch {
	case v.Nulls != nil:
		return z.nulls != nil && &v.Nulls[0] == z.nulls
	case v.Type == types.String:
		return z.str != nil && &v.Str[0] == z.str
	}
	return false
}

// nullStorage holds, per type, the first element of the storage that
// column.Null's vectors share, so that sharedNulls need not make one.
var nullStorage = func() (s [types.Dynamic + 1]struct {
	nulls *bool
	str   *string
}) {
	for t := range s {
		z := column.Null(types.Type(t), 1)
		if z.Nulls != nil {
			s[t].nulls = &z.Nulls[0]
		}
		if t == int(types.String) && len(z.Str) > 0 {
			s[t].str = &z.Str[0]
		}
	}
	return s
}()
