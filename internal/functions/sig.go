package functions

import (
	"fmt"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// This file holds the signature machinery: every scalar function and
// aggregate states its overloads in a compact text form, from which its
// Result (type rules) is derived. The parameter kinds and return rules mirror
// those Kusto.Language uses for its own function catalog.

// kind is what a parameter accepts.
type kind uint8

const (
	kDeclared        kind = iota // exactly the declared type, with int->long->real promotion
	kScalar                      // any scalar, dynamic included
	kNumber                      // int, long, real, decimal
	kInteger                     // int, long
	kSummable                    // number, timespan, datetime
	kOrderable                   // number, timespan, datetime, string, bool
	kStringOrDynamic             // string or dynamic
	kNotDynamic                  // any scalar but dynamic
	kDynamic                     // dynamic (an array or a bag, unchecked)
	kCommon                      // any scalar; unified with the other common arguments
	kCommonOrderable             // orderable; unified with the other common arguments
	kNotRealOrBool               // any scalar but real and bool
	kIntegerOrArray              // int, long or dynamic
	kType                        // a type literal such as typeof(long)
)

var kindNames = map[string]kind{
	"Scalar": kScalar, "Number": kNumber, "Integer": kInteger, "Summable": kSummable,
	"Orderable": kOrderable, "StringOrDynamic": kStringOrDynamic,
	"NotDynamic": kNotDynamic, "Dynamic": kDynamic, "Common": kCommon,
	"CommonOrderable": kCommonOrderable, "NotRealOrBool": kNotRealOrBool,
	"IntegerOrArray": kIntegerOrArray, "type": kType,
	// Kusto.Language's finer dynamic kinds; the shape is checked at run time.
	"DynamicArray": kDynamic, "DynamicBag": kDynamic, "StringOrArray": kStringOrDynamic,
}

// ret is how an overload chooses its result type.
type ret uint8

const (
	rDeclared ret = iota // a fixed type
	rParam0              // the type of the first argument
	rWidest              // the widest numeric argument type, at least long
	rPromoted            // the first argument's type, int promoted to long
	rCommon              // the common type of the common arguments
	rCommonND            // the common type ignoring dynamic arguments; dynamic on conflict
	rTypeArg             // the type given by the type-literal argument
)

var retNames = map[string]ret{
	"P0": rParam0, "Widest": rWidest, "Promoted": rPromoted,
	"Common": rCommon, "CommonND": rCommonND, "TypeArg": rTypeArg,
}

type param struct {
	kind     kind
	typ      types.Type // for kDeclared
	optional bool
	repeat   bool
}

type signature struct {
	params []param
	ret    ret
	typ    types.Type // for rDeclared
}

// parseSig parses "string, long?, Scalar* -> string". A parameter is a type
// name or a kind name, suffixed by ? (optional) or * (repeatable, one or
// more; consecutive repeatable parameters repeat as a group). The result is
// a type name or a return rule name. It panics on a malformed spec, which
// is a programming error caught by the package tests.
func parseSig(spec string) signature {
	lhs, rhs, ok := strings.Cut(spec, "->")
	if !ok {
		panic("functions: signature without '->': " + spec)
	}
	var s signature
	rhs = strings.TrimSpace(rhs)
	if r, ok := retNames[rhs]; ok {
		s.ret = r
	} else if t, ok := types.Parse(rhs); ok {
		s.typ = t
	} else {
		panic("functions: bad result in signature: " + spec)
	}
	for _, p := range strings.Split(lhs, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		var pr param
		if strings.HasSuffix(p, "*") {
			pr.repeat = true
			p = p[:len(p)-1]
		}
		if strings.HasSuffix(p, "?") {
			pr.optional = true
			p = p[:len(p)-1]
		}
		if k, ok := kindNames[p]; ok {
			pr.kind = k
		} else if t, ok := types.Parse(p); ok {
			pr.typ = t
		} else {
			panic("functions: bad parameter in signature: " + spec)
		}
		s.params = append(s.params, pr)
	}
	return s
}

// layout maps n arguments onto the parameters of s, returning the parameter
// index of each argument, or nil if s does not take n arguments.
func (s *signature) layout(n int) []int {
	first, last := -1, -1
	for i, p := range s.params {
		if p.repeat {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	out := make([]int, 0, n)
	if first < 0 {
		required := 0
		for _, p := range s.params {
			if !p.optional {
				required++
			}
		}
		if n < required || n > len(s.params) {
			return nil
		}
		for i := 0; i < n; i++ {
			out = append(out, i)
		}
		return out
	}
	group := last - first + 1
	before, after := first, len(s.params)-last-1
	minRep := 1
	if s.params[first].optional {
		minRep = 0
	}
	rest := n - before - after
	if rest < minRep*group || rest%group != 0 {
		return nil
	}
	for i := 0; i < before; i++ {
		out = append(out, i)
	}
	for r := 0; r < rest/group; r++ {
		for g := 0; g < group; g++ {
			out = append(out, first+g)
		}
	}
	for i := 0; i < after; i++ {
		out = append(out, last+1+i)
	}
	return out
}

// accepts reports whether an argument of type t may be passed to p.
// Unknown (a null literal or an earlier error) is accepted everywhere.
func (p param) accepts(t types.Type) bool {
	if t == types.Unknown {
		return true
	}
	switch p.kind {
	case kDeclared:
		return t == p.typ || promotes(t, p.typ)
	case kScalar, kCommon, kType:
		return true
	case kNumber:
		return t.IsNumeric()
	case kInteger:
		return t.IsInteger()
	case kSummable:
		return t.IsNumeric() || t == types.Timespan || t == types.Datetime
	case kOrderable, kCommonOrderable:
		return t.IsNumeric() || t == types.Timespan || t == types.Datetime ||
			t == types.String || t == types.Bool
	case kStringOrDynamic:
		return t == types.String || t == types.Dynamic
	case kNotDynamic:
		return t != types.Dynamic
	case kDynamic:
		return t == types.Dynamic
	case kNotRealOrBool:
		return t != types.Real && t != types.Bool
	case kIntegerOrArray:
		return t.IsInteger() || t == types.Dynamic
	}
	return false
}

// promotes reports whether Kusto implicitly converts from to to when passing
// an argument: int to long, and int or long to real.
func promotes(from, to types.Type) bool {
	switch to {
	case types.Long:
		return from == types.Int
	case types.Real:
		return from == types.Int || from == types.Long
	}
	return false
}

func (p param) describe() string {
	switch p.kind {
	case kDeclared:
		return "a value of type " + p.typ.String()
	case kNumber:
		return "a number"
	case kInteger:
		return "an integer"
	case kSummable:
		return "a number, timespan or datetime"
	case kOrderable, kCommonOrderable:
		return "a number, timespan, datetime, string or bool"
	case kStringOrDynamic:
		return "a string or dynamic value"
	case kNotDynamic:
		return "a non-dynamic value"
	case kDynamic:
		return "a dynamic value"
	case kNotRealOrBool:
		return "a value that is not real or bool"
	case kIntegerOrArray:
		return "an integer or dynamic array"
	}
	return "a scalar value"
}

// resultOf computes the result type of s for args, or an error.
func (s *signature) resultOf(name string, args []types.Type, lay []int) (types.Type, error) {
	for i, t := range args {
		p := s.params[lay[i]]
		if !p.accepts(t) {
			return types.Unknown, fmt.Errorf("%s() argument %d: expected %s, found %s",
				name, i+1, p.describe(), t)
		}
	}
	switch s.ret {
	case rDeclared:
		return s.typ, nil
	case rParam0:
		if len(args) == 0 {
			return types.Unknown, nil
		}
		return args[0], nil
	case rPromoted:
		if len(args) == 0 {
			return types.Unknown, nil
		}
		if args[0] == types.Int {
			return types.Long, nil
		}
		return args[0], nil
	case rWidest:
		w := types.Long
		for _, t := range args {
			w = widerNumber(w, t)
		}
		return w, nil
	case rTypeArg:
		return args[len(args)-1], nil
	}
	var common []types.Type
	for i, t := range args {
		k := s.params[lay[i]].kind
		if k == kCommon || k == kCommonOrderable {
			common = append(common, t)
		}
	}
	t, ok := commonType(common, s.ret == rCommonND)
	if !ok {
		return types.Unknown, fmt.Errorf("%s(): expected arguments of one common type, found %s",
			name, typeList(common))
	}
	return t, nil
}

func typeList(ts []types.Type) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return strings.Join(parts, ", ")
}

// widerNumber returns the wider of two numeric types (decimal > real > long
// > int); non-numeric types leave w unchanged.
func widerNumber(w, t types.Type) types.Type {
	rank := func(t types.Type) int {
		switch t {
		case types.Int:
			return 1
		case types.Long:
			return 2
		case types.Real:
			return 3
		case types.Decimal:
			return 4
		}
		return 0
	}
	if rank(t) > rank(w) {
		return t
	}
	return w
}

// commonType unifies ts: equal types stay, numbers widen, dynamic wins
// (unless ignoreDynamic, where dynamic arguments are skipped and a conflict
// yields dynamic), Unknown is skipped.
func commonType(ts []types.Type, ignoreDynamic bool) (types.Type, bool) {
	out := types.Unknown
	sawDynamic := false
	for _, t := range ts {
		switch {
		case t == types.Unknown:
		case t == types.Dynamic:
			sawDynamic = true
		case out == types.Unknown || out == t:
			out = t
		case out.IsNumeric() && t.IsNumeric():
			out = widerNumber(out, t)
		default:
			if ignoreDynamic {
				return types.Dynamic, true
			}
			return types.Unknown, false
		}
	}
	if sawDynamic && (!ignoreDynamic || out == types.Unknown) {
		return types.Dynamic, true
	}
	return out, true
}

// sigResult builds a Result function over overloads, trying each in order.
func sigResult(name string, sigs []signature) func([]types.Type) (types.Type, error) {
	return func(args []types.Type) (types.Type, error) {
		var firstErr error
		for i := range sigs {
			lay := sigs[i].layout(len(args))
			if lay == nil {
				continue
			}
			t, err := sigs[i].resultOf(name, args, lay)
			if err == nil {
				return t, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
		if firstErr != nil {
			return types.Unknown, firstErr
		}
		if g := repeatGroup(sigs); g > 1 {
			if lo, hi := argBounds(sigs); len(args) >= lo && (hi < 0 || len(args) <= hi) {
				return types.Unknown, fmt.Errorf("%s(): expected arguments in groups of %d, "+
					"found %d arguments", name, g, len(args))
			}
		}
		return types.Unknown, fmt.Errorf("%s(): expected %s, found %d arguments",
			name, arity(sigs), len(args))
	}
}

// repeatGroup returns the size of the repeated parameter group every
// overload shares (2 for bag_pack's key, value pairs), or 0.
func repeatGroup(sigs []signature) int {
	size := 0
	for i := range sigs {
		n := 0
		for _, p := range sigs[i].params {
			if p.repeat {
				n++
			}
		}
		if i > 0 && n != size {
			return 0
		}
		size = n
	}
	return size
}

// arity describes the argument counts the overloads take.
func arity(sigs []signature) string {
	lo, hi := argBounds(sigs)
	switch {
	case hi < 0:
		return fmt.Sprintf("at least %d arguments", lo)
	case lo == hi:
		return fmt.Sprintf("%d arguments", lo)
	}
	return fmt.Sprintf("%d to %d arguments", lo, hi)
}

func argBounds(sigs []signature) (lo, hi int) {
	lo = -1
	for _, s := range sigs {
		min, max := 0, 0
		for _, p := range s.params {
			if p.repeat {
				max = -1 << 20
				if !p.optional {
					min++
				}
				continue
			}
			max++
			if !p.optional {
				min++
			}
		}
		if lo < 0 || min < lo {
			lo = min
		}
		if max < 0 {
			hi = -1
		} else if hi >= 0 && max > hi {
			hi = max
		}
	}
	if lo < 0 {
		lo = 0
	}
	return lo, hi
}

// scalar registers a scalar function with the given overload specs.
func scalar(name string, eval func(*Context, []any) any, specs ...string) *Scalar {
	sigs := make([]signature, len(specs))
	typeArg := 0
	for i, sp := range specs {
		sigs[i] = parseSig(sp)
		for j, p := range sigs[i].params {
			if p.kind == kType {
				typeArg = j + 1
			}
		}
	}
	lo, hi := argBounds(sigs)
	f := &Scalar{
		Name: name, MinArgs: lo, MaxArgs: hi,
		Result: sigResult(name, sigs), Eval: safeEval(eval), TypeArg: typeArg,
	}
	RegisterScalar(f)
	return f
}

// alias registers f again under another name.
func alias(name string, f *Scalar) {
	g := *f
	g.Name = name
	RegisterScalar(&g)
}

// evalPanicked, when set (by tests only), is told of every panic safeEval
// recovers, so that the property tests see the bugs the guard hides.
var evalPanicked func(r any)

// safeEval guards an evaluator: a panic on some unforeseen input becomes a
// null result rather than a crash of the whole query.
func safeEval(f func(*Context, []any) any) func(*Context, []any) any {
	return func(ctx *Context, args []any) (out any) {
		defer func() {
			if r := recover(); r != nil {
				out = nil
				if evalPanicked != nil {
					evalPanicked(r)
				}
			}
		}()
		return f(ctx, args)
	}
}
