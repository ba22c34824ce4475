package exec

import (
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// Kernels of iff and case, tolower and toupper, and strlen.

// caseKernel is iff(c, a, b) and case(c1, v1, ..., else) (evalIff,
// evalCase): each row takes the value of the first condition that is true
// (a null condition is not), else the last argument. Every argument is
// computed for every row, as the row function does. The values must be
// exact and of the result's type, so that the kernel yields exactly the
// values the row function passes on.
func (r *runner) caseKernel(e *plan.Call) (vecFn, error) {
	k := kindOf(e.T)
	if k == kNone {
		return nil, nil
	}
	var conds []operand
	var vals []func(b *column.Batch) *column.Vector
	for i, a := range e.Args {
		if i%2 == 0 && i < len(e.Args)-1 {
			c, ok, err := r.boolOperand(a)
			if !ok {
				return nil, err
			}
			conds = append(conds, c)
			continue
		}
		if a.Type() != e.T {
			return nil, nil
		}
		o, err := r.operand(a)
		if err != nil || !o.exact() {
			return nil, err
		}
		if !o.konst {
			vals = append(vals, o.vector)
			continue
		}
		if _, _, _, _, null, ok := constOf(o, k); !ok || null && k == kStr {
			return nil, nil
		}
		v, t := o.val, e.T
		var last atomic.Pointer[column.Vector]
		vals = append(vals, func(b *column.Batch) *column.Vector {
			full := last.Load()
			if full == nil || full.Len() < b.N {
				full = column.Const(t, v, max(b.N, 1))
				last.Store(full)
			}
			return full.Slice(0, b.N)
		})
	}
	t := e.T
	return func(b *column.Batch) *column.Vector {
		n := b.N
		pick := make([]uint8, n) // index into vals; a case has at most 255 values
		if len(vals) > 255 {
			return nil
		}
		for i := range pick {
			pick[i] = uint8(len(conds))
		}
		for j := len(conds) - 1; j >= 0; j-- {
			c := conds[j].vector(b)
			if c == nil {
				return nil
			}
			for i, v := range c.Bool {
				if v && !nullAt(c.Nulls, i) {
					pick[i] = uint8(j)
				}
			}
		}
		vs := make([]*column.Vector, len(vals))
		nulls := false
		for j, f := range vals {
			if vs[j] = f(b); vs[j] == nil || vs[j].Type != t || vs[j].Len() != n {
				return nil
			}
			nulls = nulls || vs[j].Nulls != nil
		}
		out := &column.Vector{Type: t}
		if nulls {
			out.Nulls = make([]bool, n)
			for i, j := range pick {
				out.Nulls[i] = nullAt(vs[j].Nulls, i)
			}
		}
		switch k {
		case kBool:
			out.Bool = make([]bool, n)
			for i, j := range pick {
				out.Bool[i] = vs[j].Bool[i]
			}
		case kInt, kDate, kSpan:
			out.Int = make([]int64, n)
			for i, j := range pick {
				out.Int[i] = vs[j].Int[i]
			}
		case kReal:
			out.Real = make([]float64, n)
			for i, j := range pick {
				out.Real[i] = vs[j].Real[i]
			}
		case kStr:
			out.Str = make([]string, n)
			for i, j := range pick {
				out.Str[i] = vs[j].Str[i]
			}
		}
		return out
	}, nil
}

// caseFoldKernel is tolower and toupper of a string: strings.ToLower and
// strings.ToUpper of its text ("" for null).
func (r *runner) caseFoldKernel(name string, arg plan.Expr) (vecFn, error) {
	x, ok, err := r.stringOperand(arg)
	if !ok {
		return nil, err
	}
	fold := strings.ToLower
	if name == "toupper" {
		fold = strings.ToUpper
	}
	return func(b *column.Batch) *column.Vector {
		v := x.vector(b)
		if v == nil {
			return nil
		}
		out := &column.Vector{Type: types.String, Str: make([]string, b.N)}
		for i, s := range v.Str {
			if !nullAt(v.Nulls, i) {
				out.Str[i] = fold(s)
			}
		}
		return out
	}, nil
}

// strlenKernel is strlen of an exact string: its count of code points, or
// null for null.
func (r *runner) strlenKernel(arg plan.Expr) (vecFn, error) {
	if arg.Type() != types.String || constant(arg) {
		return nil, nil
	}
	x, err := r.operand(arg)
	if err != nil || !x.exact() {
		return nil, err
	}
	return func(b *column.Batch) *column.Vector {
		v := x.vector(b)
		if v == nil {
			return nil
		}
		out := &column.Vector{Type: types.Long, Int: make([]int64, b.N)}
		for i, s := range v.Str {
			out.Int[i] = int64(utf8.RuneCountInString(s))
		}
		for i, null := range v.Nulls {
			if null {
				setNull(out, i, b.N)
			}
		}
		return out
	}, nil
}
