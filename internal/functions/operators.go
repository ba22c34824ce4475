package functions

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the arithmetic, comparison and logical operators.
// Their evaluators dispatch on the runtime Go types of the operands, so an
// operand read from a dynamic value works like a typed one.

func init() {
	for _, op := range []string{"+", "-", "*", "/", "%"} {
		RegisterBinary(&BinaryOp{Op: op, Result: arithResult(op), Eval: arith(op[0])})
	}
	RegisterBinary(&BinaryOp{Op: "==", Result: anyCompare, Eval: evalEq})
	RegisterBinary(&BinaryOp{Op: "!=", Result: anyCompare, Eval: evalNe})
	for _, op := range []string{"<", "<=", ">", ">="} {
		RegisterBinary(&BinaryOp{Op: op, Result: orderResult(op), Eval: order(op)})
	}
	RegisterBinary(&BinaryOp{Op: "=~", Result: stringResult("=~"), Eval: evalEqFold})
	RegisterBinary(&BinaryOp{Op: "!~", Result: stringResult("!~"), Eval: func(l, r any) any {
		return !equalFold(l, r)
	}})
	RegisterBinary(&BinaryOp{Op: "and", Result: logicResult("and"), Eval: evalAnd})
	RegisterBinary(&BinaryOp{Op: "or", Result: logicResult("or"), Eval: evalOr})
}

// dynamicAs lets a dynamic operand take the type of the other operand, as
// Kusto does when it types dynamic(1) + 1 as long; a null literal (Unknown)
// does the same.
func dynamicAs(l, r types.Type) (types.Type, types.Type) {
	if (l == types.Dynamic || l == types.Unknown) && r != types.Dynamic && r != types.Unknown {
		l = r
	}
	if (r == types.Dynamic || r == types.Unknown) && l != types.Dynamic && l != types.Unknown {
		r = l
	}
	return l, r
}

func arithResult(op string) func(l, r types.Type) (types.Type, error) {
	return func(l, r types.Type) (types.Type, error) {
		l, r = dynamicAs(l, r)
		if l == types.Dynamic || l == types.Unknown {
			return l, nil
		}
		num := l.IsNumeric() && r.IsNumeric()
		if num {
			return widerNumber(widerNumber(types.Long, l), r), nil
		}
		dt, ts := types.Datetime, types.Timespan
		var out types.Type
		switch op {
		case "+":
			switch {
			case l == dt && r == ts, l == ts && r == dt:
				out = dt
			case l == ts && r == ts:
				out = ts
			}
		case "-":
			switch {
			case l == dt && r == dt, l == ts && r == ts:
				out = ts
			case l == dt && r == ts, l == ts && r == dt:
				out = dt
			}
		case "*":
			if l == ts && r.IsNumeric() || l.IsNumeric() && r == ts {
				out = ts
			}
		case "/":
			switch {
			case l == ts && r == ts:
				out = types.Real
			case l == ts && r.IsNumeric():
				out = ts
			}
		case "%":
			if (l == ts || l == dt) && r == ts {
				out = ts
			}
		}
		if out == types.Unknown {
			return out, fmt.Errorf("the operator '%s' is not defined for %s and %s", op, l, r)
		}
		return out, nil
	}
}

// operand classes for arithmetic dispatch.
const (
	cNone = iota
	cInt
	cReal
	cDec
	cDate
	cDur
)

func class(v any) (int, int64, float64) {
	switch x := v.(type) {
	case int64:
		return cInt, x, 0
	case int32:
		return cInt, int64(x), 0
	case float64:
		return cReal, 0, x
	case decimal.Decimal:
		return cDec, 0, 0
	case types.Date:
		return cDate, int64(x), 0
	case types.Duration:
		return cDur, int64(x), 0
	}
	return cNone, 0, 0
}

func arith(op byte) func(l, r any) any {
	return func(l, r any) any {
		if x, ok := l.(int64); ok {
			if y, ok := r.(int64); ok {
				return intOp(op, x, y)
			}
		}
		return arithSlow(op, l, r)
	}
}

func arithSlow(op byte, l, r any) any {
	cl, il, fl := class(l)
	cr, ir, fr := class(r)
	switch {
	case cl == cNone || cr == cNone:
		return nil
	case cl == cInt && cr == cInt:
		return intOp(op, il, ir)
	case cl == cDec || cr == cDec:
		if cl <= cDec && cr <= cDec {
			return decOp(op, toDecimalValue(l), toDecimalValue(r))
		}
	case cl <= cReal && cr <= cReal:
		if cl == cInt {
			fl = float64(il)
		}
		if cr == cInt {
			fr = float64(ir)
		}
		return realOp(op, fl, fr)
	}
	return timeOp(op, cl, cr, l, r, il, ir)
}

func intOp(op byte, x, y int64) any {
	if v, ok := IntArith(op, x, y); ok {
		return v
	}
	return nil
}

// IntArith computes x op y for op one of + - * / % with Kusto's integer
// rules (division truncates, modulo lies in [0, |y|)); ok is false where the
// result is null: a division by zero or an unknown op.
func IntArith(op byte, x, y int64) (v int64, ok bool) {
	switch op {
	case '+':
		return x + y, true
	case '-':
		return x - y, true
	case '*':
		return x * y, true
	case '/':
		if y == 0 {
			return 0, false
		}
		return x / y, true
	case '%':
		if y == 0 {
			return 0, false
		}
		return floorMod(x, y), true
	}
	return 0, false
}

// floorMod is Kusto's modulo: the result lies in [0, |y|).
func floorMod(x, y int64) int64 {
	m := x % y
	if m < 0 {
		if y < 0 {
			m -= y
		} else {
			m += y
		}
	}
	return m
}

func realOp(op byte, x, y float64) any {
	switch op {
	case '+', '-', '*', '/', '%':
		return RealArith(op, x, y)
	}
	return nil
}

// RealArith computes x op y for op one of + - * / % with Kusto's real
// rules (IEEE division, modulo lies in [0, |y|)); 0 for an unknown op.
func RealArith(op byte, x, y float64) float64 {
	switch op {
	case '+':
		return x + y
	case '-':
		return x - y
	case '*':
		return x * y
	case '/':
		return x / y
	case '%':
		m := math.Mod(x, y)
		if m < 0 {
			m += math.Abs(y)
		}
		return m
	}
	return 0
}

func decOp(op byte, a, b any) any {
	x, ok1 := a.(decimal.Decimal)
	y, ok2 := b.(decimal.Decimal)
	if !ok1 || !ok2 {
		return nil
	}
	switch op {
	case '+':
		return x.Add(y)
	case '-':
		return x.Sub(y)
	case '*':
		return x.Mul(y)
	case '/':
		if y.IsZero() {
			return nil
		}
		return x.Div(y)
	case '%':
		if y.IsZero() {
			return nil
		}
		m := x.Mod(y)
		if m.IsNegative() {
			m = m.Add(y.Abs())
		}
		return m
	}
	return nil
}

// timeOp handles the datetime and timespan cases of arithmetic.
func timeOp(op byte, cl, cr int, l, r any, il, ir int64) any {
	switch op {
	case '+':
		switch {
		case cl == cDate && cr == cDur:
			return dateOrNull(il + ir)
		case cl == cDur && cr == cDate:
			return dateOrNull(il + ir)
		case cl == cDur && cr == cDur:
			return types.Duration(il + ir)
		}
	case '-':
		switch {
		case cl == cDate && cr == cDate, cl == cDur && cr == cDur:
			return types.Duration(il - ir)
		case cl == cDate && cr == cDur:
			return dateOrNull(il - ir)
		}
	case '*':
		switch {
		case cl == cDur && cr <= cDec:
			return scaleDuration(il, r, false)
		case cl <= cDec && cr == cDur:
			return scaleDuration(ir, l, false)
		}
	case '/':
		switch {
		case cl == cDur && cr == cDur:
			return float64(il) / float64(ir)
		case cl == cDur && cr <= cDec:
			return scaleDuration(il, r, true)
		}
	case '%':
		if (cl == cDur || cl == cDate) && cr == cDur {
			if ir == 0 {
				return nil
			}
			return types.Duration(floorMod(il, ir))
		}
	}
	return nil
}

// dateOrNull returns ticks as a datetime, or null outside Kusto's range.
func dateOrNull(ticks int64) any {
	if ticks < int64(types.MinDatetime) || ticks > int64(types.MaxDatetime) {
		return nil
	}
	return types.Date(ticks)
}

// scaleDuration multiplies (or divides) ticks by the number n.
func scaleDuration(ticks int64, n any, divide bool) any {
	if k, ok := intValue(n); ok {
		if !divide {
			return types.Duration(ticks * k)
		}
		if k == 0 {
			return nil
		}
		return types.Duration(ticks / k)
	}
	f, ok := asReal(n)
	if !ok {
		return nil
	}
	var v float64
	if divide {
		v = float64(ticks) / f
	} else {
		v = float64(ticks) * f
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= math.MaxInt64 {
		return nil
	}
	return types.Duration(math.Round(v))
}

func anyCompare(l, r types.Type) (types.Type, error) { return types.Bool, nil }

func evalEq(l, r any) any {
	if x, ok := l.(string); ok {
		if y, ok := r.(string); ok {
			return x == y
		}
	}
	if l == nil || r == nil {
		if l == nil && r == nil {
			return nil
		}
		return false
	}
	return Equal(l, r)
}

func evalNe(l, r any) any {
	if x, ok := l.(string); ok {
		if y, ok := r.(string); ok {
			return x != y
		}
	}
	if l == nil || r == nil {
		if l == nil && r == nil {
			return nil
		}
		return true
	}
	return !Equal(l, r)
}

func evalEqFold(l, r any) any {
	if x, ok := l.(string); ok {
		if y, ok := r.(string); ok {
			return equalFoldString(x, y)
		}
	}
	return equalFold(l, r)
}

func orderResult(op string) func(l, r types.Type) (types.Type, error) {
	return func(l, r types.Type) (types.Type, error) {
		l, r = dynamicAs(l, r)
		switch {
		case l == r, l.IsNumeric() && r.IsNumeric():
			return types.Bool, nil
		}
		return types.Unknown, fmt.Errorf("the operator '%s' cannot compare %s with %s", op, l, r)
	}
}

func order(op string) func(l, r any) any {
	test := map[string]func(int) bool{
		"<":  func(c int) bool { return c < 0 },
		"<=": func(c int) bool { return c <= 0 },
		">":  func(c int) bool { return c > 0 },
		">=": func(c int) bool { return c >= 0 },
	}[op]
	return func(l, r any) any {
		if x, ok := l.(int64); ok {
			if y, ok := r.(int64); ok {
				return test(cmpInt(x, y))
			}
		}
		c, ok := orderOf(l, r)
		if !ok {
			return nil
		}
		return test(c)
	}
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// orderOf compares l and r for the ordering operators; false when either is
// null, NaN, or the two cannot be ordered against each other.
func orderOf(l, r any) (int, bool) {
	if l == nil || r == nil || isNaN(l) || isNaN(r) {
		return 0, false
	}
	if s, ok := l.(string); ok {
		if _, ok := r.(string); !ok {
			c, ok := convertLike(s, r)
			if !ok {
				return 0, false
			}
			l = c
		}
	} else if s, ok := r.(string); ok {
		c, ok := convertLike(s, l)
		if !ok {
			return 0, false
		}
		r = c
	}
	if rank(l) != rank(r) || rank(l) == 7 {
		return 0, false
	}
	return Compare(l, r), true
}

func stringResult(op string) func(l, r types.Type) (types.Type, error) {
	return func(l, r types.Type) (types.Type, error) {
		ok := func(t types.Type) bool {
			return t == types.String || t == types.Dynamic || t == types.Unknown
		}
		if ok(l) && ok(r) {
			return types.Bool, nil
		}
		return types.Unknown, fmt.Errorf("the operator '%s' expects string operands, found %s and %s",
			op, l, r)
	}
}

func logicResult(op string) func(l, r types.Type) (types.Type, error) {
	return func(l, r types.Type) (types.Type, error) {
		ok := func(t types.Type) bool {
			return t == types.Bool || t == types.Dynamic || t == types.Unknown
		}
		if ok(l) && ok(r) {
			return types.Bool, nil
		}
		return types.Unknown, fmt.Errorf("the operator '%s' expects bool operands, found %s and %s",
			op, l, r)
	}
}

// evalAnd is three-valued: false wins over null, null over true.
func evalAnd(l, r any) any {
	x, okx := ToBool(l)
	y, oky := ToBool(r)
	if (okx && !x) || (oky && !y) {
		return false
	}
	if !okx || !oky {
		return nil
	}
	return true
}

// evalOr is three-valued: true wins over null, null over false.
func evalOr(l, r any) any {
	x, okx := ToBool(l)
	y, oky := ToBool(r)
	if (okx && x) || (oky && y) {
		return true
	}
	if !okx || !oky {
		return nil
	}
	return false
}
