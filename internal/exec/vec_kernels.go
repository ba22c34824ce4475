package exec

import (
	"cmp"
	"math"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// The kernels of vec.go. Each mirrors one evaluator of package functions
// (named in its comment) over typed slices; null rows hold zero values.

// boolVec returns a bool vector of n false rows.
func boolVec(n int) *column.Vector {
	return &column.Vector{Type: types.Bool, Bool: make([]bool, n)}
}

// setNull marks row i of an n-row vector null, clearing its value.
func setNull(v *column.Vector, i, n int) {
	if v.Nulls == nil {
		v.Nulls = make([]bool, n)
	}
	v.Nulls[i] = true
	switch {
	case v.Bool != nil:
		v.Bool[i] = false
	case v.Int != nil:
		v.Int[i] = 0
	case v.Real != nil:
		v.Real[i] = 0
	}
}

// nullAt reports whether row i of v is null (v.Nulls may be nil).
func nullAt(nulls []bool, i int) bool { return nulls != nil && nulls[i] }

// allNull returns a fresh vector of n nulls of type t.
func allNull(t types.Type, n int) *column.Vector {
	v := &column.Vector{Type: t, Nulls: make([]bool, n)}
	for i := range v.Nulls {
		v.Nulls[i] = true
	}
	switch kindOf(t) {
	case kBool:
		v.Bool = make([]bool, n)
	case kInt, kDate, kSpan:
		v.Int = make([]int64, n)
	case kReal:
		v.Real = make([]float64, n)
	default:
		return column.Const(t, nil, n)
	}
	return v
}

// Comparison operators, as evalEq, evalNe and order: == and != on a null
// give null when both sides are null and false (true for !=) when one is;
// the ordering operators give null on a null or NaN operand.

const (
	opEq = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

var cmpOps = map[string]int{"==": opEq, "!=": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe}

// flipped is the operator with its operands swapped.
func flipped(op int) int {
	switch op {
	case opLt:
		return opGt
	case opLe:
		return opGe
	case opGt:
		return opLt
	case opGe:
		return opLe
	}
	return op
}

func (r *runner) compareKernel(e *plan.Binary) (vecFn, error) {
	op := cmpOps[e.Op]
	l, err := r.operand(e.L)
	if err != nil {
		return nil, err
	}
	rt, err := r.operand(e.R)
	if err != nil {
		return nil, err
	}
	if !l.exact() || !rt.exact() {
		return nil, nil
	}
	kl, kr := kindOf(l.t), kindOf(rt.t)
	k := kl
	switch {
	case kl == kNone:
		return nil, nil
	case kl == kr:
	case kl == kInt && kr == kReal, kl == kReal && kr == kInt:
		k = kReal
	default:
		return nil, nil
	}
	if k == kBool && op != opEq && op != opNe {
		return nil, nil
	}
	if l.konst {
		l, rt, op = rt, l, flipped(op)
	}
	if rt.konst {
		ci, cf, cs, cb, cnull, ok := constOf(rt, k)
		if !ok {
			return nil, nil
		}
		return func(b *column.Batch) *column.Vector {
			x := l.vector(b)
			if x == nil {
				return nil
			}
			if cnull {
				return cmpNullConst(op, x.Nulls, b.N)
			}
			out := boolVec(b.N)
			switch k {
			case kInt, kDate, kSpan:
				cmpConst(op, x.Int, ci, out.Bool)
			case kReal:
				xs := x.Real
				if kl := kindOf(x.Type); kl == kInt {
					xs = toReals(x.Int)
				}
				cmpConst(op, xs, cf, out.Bool)
				if op != opEq && op != opNe {
					nanNulls(out, xs, nil, math.IsNaN(cf))
				}
			case kStr:
				cmpConst(op, x.Str, cs, out.Bool)
			case kBool:
				eqBoolConst(op, x.Bool, cb, out.Bool)
			}
			constNulls(op, out, x.Nulls)
			return out
		}, nil
	}
	return func(b *column.Batch) *column.Vector {
		x, y := l.vector(b), rt.vector(b)
		if x == nil || y == nil {
			return nil
		}
		out := boolVec(b.N)
		switch k {
		case kInt, kDate, kSpan:
			cmpVec(op, x.Int, y.Int, out.Bool)
		case kReal:
			xs, ys := x.Real, y.Real
			if x.Type != types.Real {
				xs = toReals(x.Int)
			}
			if y.Type != types.Real {
				ys = toReals(y.Int)
			}
			cmpVec(op, xs, ys, out.Bool)
			if op != opEq && op != opNe {
				nanNulls(out, xs, ys, false)
			}
		case kStr:
			cmpVec(op, x.Str, y.Str, out.Bool)
		case kBool:
			for i := range out.Bool {
				out.Bool[i] = (x.Bool[i] == y.Bool[i]) == (op == opEq)
			}
		}
		if x.Nulls != nil || y.Nulls != nil {
			for i := range out.Bool {
				xn, yn := nullAt(x.Nulls, i), nullAt(y.Nulls, i)
				switch {
				case !xn && !yn:
				case xn && yn, op != opEq && op != opNe:
					setNull(out, i, b.N)
				default:
					out.Bool[i] = op == opNe
				}
			}
		}
		return out
	}, nil
}

func toReals(xs []int64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

func cmpConst[T cmp.Ordered](op int, xs []T, c T, out []bool) {
	switch op {
	case opEq:
		for i, x := range xs {
			out[i] = x == c
		}
	case opNe:
		for i, x := range xs {
			out[i] = x != c
		}
	case opLt:
		for i, x := range xs {
			out[i] = x < c
		}
	case opLe:
		for i, x := range xs {
			out[i] = x <= c
		}
	case opGt:
		for i, x := range xs {
			out[i] = x > c
		}
	case opGe:
		for i, x := range xs {
			out[i] = x >= c
		}
	}
}

func cmpVec[T cmp.Ordered](op int, xs, ys []T, out []bool) {
	ys = ys[:len(xs)]
	switch op {
	case opEq:
		for i, x := range xs {
			out[i] = x == ys[i]
		}
	case opNe:
		for i, x := range xs {
			out[i] = x != ys[i]
		}
	case opLt:
		for i, x := range xs {
			out[i] = x < ys[i]
		}
	case opLe:
		for i, x := range xs {
			out[i] = x <= ys[i]
		}
	case opGt:
		for i, x := range xs {
			out[i] = x > ys[i]
		}
	case opGe:
		for i, x := range xs {
			out[i] = x >= ys[i]
		}
	}
}

func eqBoolConst(op int, xs []bool, c bool, out []bool) {
	for i, x := range xs {
		out[i] = (x == c) == (op == opEq)
	}
}

// nanNulls makes the ordering results null where an operand is NaN.
func nanNulls(out *column.Vector, xs, ys []float64, constNaN bool) {
	n := len(out.Bool)
	for i := range out.Bool {
		if constNaN || math.IsNaN(xs[i]) || ys != nil && math.IsNaN(ys[i]) {
			setNull(out, i, n)
		}
	}
}

// constNulls applies the null rules to rows whose non-constant operand is
// null, against a non-null constant.
func constNulls(op int, out *column.Vector, nulls []bool) {
	if nulls == nil {
		return
	}
	n := len(out.Bool)
	for i, null := range nulls {
		if !null {
			continue
		}
		switch op {
		case opEq, opNe:
			out.Bool[i] = op == opNe
			if out.Nulls != nil {
				out.Nulls[i] = false
			}
		default:
			setNull(out, i, n)
		}
	}
}

// cmpNullConst compares every row with a null constant.
func cmpNullConst(op int, nulls []bool, n int) *column.Vector {
	if op != opEq && op != opNe {
		return allNull(types.Bool, n)
	}
	out := boolVec(n)
	for i := range out.Bool {
		if nullAt(nulls, i) {
			setNull(out, i, n)
		} else {
			out.Bool[i] = op == opNe
		}
	}
	return out
}

// Logic, as evalAnd, evalOr and not: a null operand is unknown; false wins
// over null in and, true in or.

// boolOperand compiles a bool operand of and, or and not. A bool value
// converted to its type reads the same through ToBool, so any operand of
// type bool will do.
func (r *runner) boolOperand(e plan.Expr) (operand, bool, error) {
	if e.Type() != types.Bool || constant(e) {
		return operand{}, false, nil
	}
	o, err := r.operand(e)
	return o, err == nil, err
}

func (r *runner) logicKernel(e *plan.Binary) (vecFn, error) {
	l, ok, err := r.boolOperand(e.L)
	if !ok {
		return nil, err
	}
	rt, ok, err := r.boolOperand(e.R)
	if !ok {
		return nil, err
	}
	and := e.Op == "and"
	return func(b *column.Batch) *column.Vector {
		x, y := l.vector(b), rt.vector(b)
		if x == nil || y == nil {
			return nil
		}
		out := boolVec(b.N)
		if x.Nulls == nil && y.Nulls == nil {
			if and {
				for i, v := range x.Bool {
					out.Bool[i] = v && y.Bool[i]
				}
			} else {
				for i, v := range x.Bool {
					out.Bool[i] = v || y.Bool[i]
				}
			}
			return out
		}
		for i := range out.Bool {
			xv, xok := x.Bool[i], !nullAt(x.Nulls, i)
			yv, yok := y.Bool[i], !nullAt(y.Nulls, i)
			switch {
			case and && (xok && !xv || yok && !yv):
			case !and && (xok && xv || yok && yv):
				out.Bool[i] = true
			case !xok || !yok:
				setNull(out, i, b.N)
			default:
				out.Bool[i] = and
			}
		}
		return out
	}, nil
}

func (r *runner) notKernel(arg plan.Expr) (vecFn, error) {
	x, ok, err := r.boolOperand(arg)
	if !ok {
		return nil, err
	}
	return func(b *column.Batch) *column.Vector {
		v := x.vector(b)
		if v == nil {
			return nil
		}
		out := boolVec(b.N)
		for i, y := range v.Bool {
			out.Bool[i] = !y
		}
		if v.Nulls != nil {
			for i, null := range v.Nulls {
				if null {
					setNull(out, i, b.N)
				}
			}
		}
		return out
	}, nil
}

// String operators against a constant (functions.StringMatcher). The left
// operand is any string expression: a null string reads as "", as the
// operators' tostring() makes it.

// stringOperand compiles the left operand of a string operator.
func (r *runner) stringOperand(e plan.Expr) (operand, bool, error) {
	if e.Type() != types.String || constant(e) {
		return operand{}, false, nil
	}
	o, err := r.operand(e)
	return o, err == nil, err
}

// strConst returns a constant operand's string form as the operators see it.
func strConst(e plan.Expr, r *runner) (string, bool, error) {
	if !constant(e) {
		return "", false, nil
	}
	fn, err := r.rowFunc(e)
	if err != nil {
		return "", false, err
	}
	switch v := fn(&column.Batch{}, 0).(type) {
	case string:
		return v, true, nil
	case nil:
		return "", true, nil
	}
	return "", false, nil
}

// matchVec applies match to every string of v; null rows match "".
func matchVec(v *column.Vector, n int, match func(string) bool) *column.Vector {
	out := boolVec(n)
	for i, s := range v.Str {
		out.Bool[i] = match(s)
	}
	if v.Nulls != nil {
		empty := match("")
		for i, null := range v.Nulls {
			if null {
				out.Bool[i] = empty
			}
		}
	}
	return out
}

func (r *runner) stringOpKernel(e *plan.Binary) (vecFn, error) {
	x, ok, err := r.stringOperand(e.L)
	if !ok {
		return nil, err
	}
	t, ok, err := strConst(e.R, r)
	if !ok {
		return nil, err
	}
	match, _ := functions.StringMatcher(e.Op, t)
	return func(b *column.Batch) *column.Vector {
		v := x.vector(b)
		if v == nil {
			return nil
		}
		return matchVec(v, b.N, match)
	}, nil
}

// regexKernel is matches regex with a constant pattern; an invalid
// pattern gives null.
func (r *runner) regexKernel(e *plan.Binary) (vecFn, error) {
	x, ok, err := r.stringOperand(e.L)
	if !ok {
		return nil, err
	}
	p, ok, err := strConst(e.R, r)
	if !ok {
		return nil, err
	}
	re, err := functions.CompileRegex(p)
	if err != nil {
		return func(b *column.Batch) *column.Vector { return allNull(types.Bool, b.N) }, nil
	}
	return func(b *column.Batch) *column.Vector {
		v := x.vector(b)
		if v == nil {
			return nil
		}
		return matchVec(v, b.N, re.MatchString)
	}, nil
}

// emptyKernel is isempty, isnotempty, isnull and isnotnull. isempty takes
// any string operand (null and "" are both empty); isnull needs an exact
// one, since converting a null string makes it "".
func (r *runner) emptyKernel(name string, arg plan.Expr) (vecFn, error) {
	if constant(arg) {
		return nil, nil
	}
	x, err := r.operand(arg)
	if err != nil {
		return nil, err
	}
	empty := name == "isempty" || name == "isnotempty" || name == "notempty"
	negate := name != "isempty" && name != "isnull"
	k := kindOf(x.t)
	switch {
	case k == kNone:
		return nil, nil
	case empty && k == kStr:
	case !x.exact():
		return nil, nil
	}
	return func(b *column.Batch) *column.Vector {
		v := x.vector(b)
		if v == nil {
			return nil
		}
		out := boolVec(b.N)
		if empty && k == kStr {
			for i, s := range v.Str {
				out.Bool[i] = (s == "") != negate
			}
		} else if negate {
			for i := range out.Bool {
				out.Bool[i] = true
			}
		}
		if v.Nulls != nil {
			for i, null := range v.Nulls {
				if null {
					out.Bool[i] = !negate
				}
			}
		}
		return out
	}, nil
}

// inKernel is in, !in, in~, !in~ over strings and in, !in over integers
// against a constant list (inFunc), and has_any and has_all against a
// constant list of terms.
func (r *runner) inKernel(e *plan.In) (vecFn, error) {
	if e.Sub != nil || !allConstant(e.List) || constant(e.X) {
		return nil, nil
	}
	var list []any
	for _, l := range e.List {
		fn, err := r.rowFunc(l)
		if err != nil {
			return nil, err
		}
		v := fn(&column.Batch{}, 0)
		if arr, ok := v.([]any); ok {
			list = append(list, arr...)
		} else {
			list = append(list, v)
		}
	}
	negate := strings.HasPrefix(e.Op, "!")
	fold := strings.HasSuffix(e.Op, "~")
	switch kindOf(e.X.Type()) {
	case kStr:
		x, ok, err := r.stringOperand(e.X)
		if !ok {
			return nil, err
		}
		var match func(string) bool
		switch e.Op {
		case "has_any", "has_all":
			terms := toStrings(list)
			if e.Op == "has_any" {
				match = func(s string) bool { return functions.HasAny(s, terms) }
			} else {
				match = func(s string) bool { return functions.HasAll(s, terms) }
			}
		case "in", "!in", "in~", "!in~":
			set := make(map[string]bool, len(list))
			for _, v := range list {
				s, ok := v.(string)
				if !ok {
					continue
				}
				if fold {
					s = strings.ToLower(s)
				}
				set[s] = true
			}
			if fold {
				match = func(s string) bool { return set[strings.ToLower(s)] != negate }
			} else {
				match = func(s string) bool { return set[s] != negate }
			}
		default:
			return nil, nil
		}
		return func(b *column.Batch) *column.Vector {
			v := x.vector(b)
			if v == nil {
				return nil
			}
			return matchVec(v, b.N, match)
		}, nil
	case kInt:
		return r.inIntKernel(e, list, negate)
	}
	return nil, nil
}

// inIntKernel is in and !in (and their ~ forms, the same on numbers) of an
// int or long against a list of ints and longs: a null is in no list.
func (r *runner) inIntKernel(e *plan.In, list []any, negate bool) (vecFn, error) {
	switch e.Op {
	case "in", "!in", "in~", "!in~":
	default:
		return nil, nil
	}
	set := make(map[int64]bool, len(list))
	for _, v := range list {
		switch n := v.(type) {
		case nil:
		case int64:
			set[n] = true
		case int32:
			set[int64(n)] = true
		default:
			return nil, nil
		}
	}
	x, err := r.operand(e.X)
	if err != nil || !x.exact() {
		return nil, err
	}
	return func(b *column.Batch) *column.Vector {
		v := x.vector(b)
		if v == nil {
			return nil
		}
		out := boolVec(b.N)
		for i, n := range v.Int {
			out.Bool[i] = set[n] != negate
		}
		if v.Nulls != nil {
			for i, null := range v.Nulls {
				if null {
					out.Bool[i] = negate
				}
			}
		}
		return out
	}, nil
}

// betweenKernel is between and !between (betweenFunc) of a number,
// datetime or timespan against constant bounds. A null operand or bound
// gives null; a NaN is in no range.
func (r *runner) betweenKernel(e *plan.Between) (vecFn, error) {
	if !constant(e.Lo) || !constant(e.Hi) || constant(e.X) {
		return nil, nil
	}
	x, err := r.operand(e.X)
	if err != nil || !x.exact() {
		return nil, err
	}
	lo, err := r.operand(e.Lo)
	if err != nil {
		return nil, err
	}
	hi, err := r.operand(e.Hi)
	if err != nil {
		return nil, err
	}
	if e.Hi.Type() == types.Timespan && e.Lo.Type() == types.Datetime {
		plus, _ := functions.LookupBinary("+")
		hi = operand{val: plus.Eval(lo.val, hi.val), t: types.Datetime, konst: true}
	}
	k := kindOf(x.t)
	kl, kh := kindOf(lo.t), kindOf(hi.t)
	if k == kInt && (kl == kReal || kh == kReal) {
		k = kReal
	}
	if k == kNone || k == kStr || k == kBool {
		return nil, nil
	}
	li, lf, _, _, lnull, ok1 := constOf(lo, k)
	hi2, hf, _, _, hnull, ok2 := constOf(hi, k)
	if !ok1 || !ok2 {
		return nil, nil
	}
	not := e.Not
	return func(b *column.Batch) *column.Vector {
		v := x.vector(b)
		if v == nil {
			return nil
		}
		if lnull || hnull {
			return allNull(types.Bool, b.N)
		}
		out := boolVec(b.N)
		if k == kReal {
			xs := v.Real
			if v.Type != types.Real {
				xs = toReals(v.Int)
			}
			for i, f := range xs {
				out.Bool[i] = (f >= lf && f <= hf) != not
			}
		} else {
			for i, n := range v.Int {
				out.Bool[i] = (n >= li && n <= hi2) != not
			}
		}
		if v.Nulls != nil {
			for i, null := range v.Nulls {
				if null {
					setNull(out, i, b.N)
				}
			}
		}
		return out
	}, nil
}

// binKernel is bin and floor (binAt) with a constant size: datetimes and
// timespans by a timespan, longs by a long, reals (or longs) by a number.
// A size that is not positive gives null.
func (r *runner) binKernel(e *plan.Call) (vecFn, error) {
	if !constant(e.Args[1]) || constant(e.Args[0]) {
		return nil, nil
	}
	x, err := r.operand(e.Args[0])
	if err != nil || !x.exact() {
		return nil, err
	}
	size, err := r.operand(e.Args[1])
	if err != nil {
		return nil, err
	}
	kx, ks := kindOf(x.t), kindOf(size.t)
	var integral bool
	switch {
	case (kx == kDate || kx == kSpan) && ks == kSpan && e.T == x.t:
		integral = true
	case x.t == types.Long && ks == kInt && e.T == types.Long:
		integral = true
	case (kx == kInt || kx == kReal) && (ks == kInt || ks == kReal) && e.T == types.Real:
	default:
		return nil, nil
	}
	sk := kReal
	if integral {
		sk = ks
	}
	si, sf, _, _, snull, ok := constOf(size, sk)
	if !ok {
		return nil, nil
	}
	t, date := e.T, kx == kDate
	return func(b *column.Batch) *column.Vector {
		v := x.vector(b)
		if v == nil {
			return nil
		}
		if snull || integral && si <= 0 || !integral && !(sf > 0) {
			return allNull(t, b.N)
		}
		out := &column.Vector{Type: t}
		if integral {
			out.Int = make([]int64, b.N)
			for i, n := range v.Int {
				out.Int[i] = floorDiv(n, si) * si
			}
			if date {
				for i, n := range out.Int {
					if n < int64(types.MinDatetime) || n > int64(types.MaxDatetime) {
						setNull(out, i, b.N)
					}
				}
			}
		} else {
			xs := v.Real
			if v.Type != types.Real {
				xs = toReals(v.Int)
			}
			out.Real = make([]float64, b.N)
			for i, f := range xs {
				out.Real[i] = 0 + math.Floor((f-0)/sf)*sf
			}
		}
		if v.Nulls != nil {
			for i, null := range v.Nulls {
				if null {
					setNull(out, i, b.N)
				}
			}
		}
		return out
	}, nil
}

// floorDiv divides rounding toward negative infinity, as bin does.
func floorDiv(x, y int64) int64 {
	q := x / y
	if (x%y != 0) && ((x < 0) != (y < 0)) {
		q--
	}
	return q
}

// arithKernel is + - * / % (arith) on longs and ints (wrapping; / and % by
// zero give null, % is floored), on reals and numbers mixed with reals,
// and datetime and timespan sums and differences (a datetime outside
// Kusto's range is null). A null operand gives null.
func (r *runner) arithKernel(e *plan.Binary) (vecFn, error) {
	l, err := r.operand(e.L)
	if err != nil {
		return nil, err
	}
	rt, err := r.operand(e.R)
	if err != nil {
		return nil, err
	}
	if !l.exact() || !rt.exact() {
		return nil, nil
	}
	op := e.Op[0]
	kl, kr := kindOf(l.t), kindOf(rt.t)
	var k kind // the kind of the computation
	switch {
	case kl == kInt && kr == kInt && e.T == types.Long:
		k = kInt
	case (kl == kInt || kl == kReal) && (kr == kInt || kr == kReal) && e.T == types.Real:
		k = kReal
	case op == '+' && (kl == kDate && kr == kSpan || kl == kSpan && kr == kDate) &&
		e.T == types.Datetime,
		op == '-' && kl == kDate && kr == kSpan && e.T == types.Datetime:
		k = kDate
	case (op == '+' || op == '-') && kl == kSpan && kr == kSpan && e.T == types.Timespan,
		op == '-' && kl == kDate && kr == kDate && e.T == types.Timespan:
		k = kSpan
	default:
		return nil, nil
	}
	// side returns an operand's values over b as int64s or float64s, with
	// its nulls; a constant repeats.
	type side struct {
		ints  []int64
		reals []float64
		nulls []bool
		ci    int64
		cf    float64
		cnull bool
		konst bool
	}
	consts := [2]side{}
	for j, o := range []operand{l, rt} {
		if o.konst {
			ci, cf, _, _, cnull, ok := constOf(o, kindOf(o.t))
			if !ok {
				return nil, nil
			}
			consts[j] = side{ci: ci, cf: cf, cnull: cnull, konst: true}
		}
	}
	prep := func(j int, o operand, b *column.Batch) (side, bool) {
		if o.konst {
			return consts[j], true
		}
		v := o.vector(b)
		if v == nil {
			return side{}, false
		}
		s := side{nulls: v.Nulls}
		if k == kReal {
			s.reals = v.Real
			if v.Type != types.Real {
				s.reals = toReals(v.Int)
			}
		} else {
			s.ints = v.Int
		}
		return s, true
	}
	t := e.T
	return func(b *column.Batch) *column.Vector {
		x, ok1 := prep(0, l, b)
		y, ok2 := prep(1, rt, b)
		if !ok1 || !ok2 {
			return nil
		}
		if x.cnull || y.cnull {
			return allNull(t, b.N)
		}
		out := &column.Vector{Type: t}
		n := b.N
		if k == kReal {
			out.Real = make([]float64, n)
			for i := range out.Real {
				a, c := x.cf, y.cf
				if !x.konst {
					a = x.reals[i]
				}
				if !y.konst {
					c = y.reals[i]
				}
				out.Real[i] = functions.RealArith(op, a, c)
			}
		} else {
			out.Int = make([]int64, n)
			for i := range out.Int {
				a, c := x.ci, y.ci
				if !x.konst {
					a = x.ints[i]
				}
				if !y.konst {
					c = y.ints[i]
				}
				v, ok := functions.IntArith(op, a, c)
				if k == kDate && (v < int64(types.MinDatetime) || v > int64(types.MaxDatetime)) {
					ok = false
				}
				if ok {
					out.Int[i] = v
				} else {
					setNull(out, i, n)
				}
			}
		}
		for _, nulls := range [][]bool{x.nulls, y.nulls} {
			for i, null := range nulls {
				if null {
					setNull(out, i, n)
				}
			}
		}
		return out
	}, nil
}

// negKernel is unary minus of a long, real or timespan, computed as the
// row function does: 0 - x (so -0.0 is 0), wrapping, null for null.
func (r *runner) negKernel(e *plan.Neg) (vecFn, error) {
	t := e.X.Type()
	if t != types.Long && t != types.Real && t != types.Timespan {
		return nil, nil
	}
	x, err := r.operand(e.X)
	if err != nil || !x.exact() {
		return nil, err
	}
	return func(b *column.Batch) *column.Vector {
		v := x.vector(b)
		if v == nil {
			return nil
		}
		out := &column.Vector{Type: t}
		if t == types.Real {
			out.Real = make([]float64, b.N)
			for i, f := range v.Real {
				out.Real[i] = 0 - f
			}
		} else {
			out.Int = make([]int64, b.N)
			for i, n := range v.Int {
				out.Int[i] = 0 - n
			}
		}
		for i, null := range v.Nulls {
			if null {
				setNull(out, i, b.N)
			}
		}
		return out
	}, nil
}
