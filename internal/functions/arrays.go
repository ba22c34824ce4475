package functions

import (
	"math"
	"sort"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the array functions that reorder or split dynamic
// arrays (array_iff, array_rotate_*, array_shift_*, array_split), the set
// measure jaccard_index, range, treepath, and the lookup functions
// has_any_index and replace_strings. A first argument that is not an array
// gives null.

func init() {
	iff := scalar("array_iff", evalArrayIff, "DynamicArray, Scalar, Scalar -> dynamic")
	alias("array_iif", iff)
	scalar("array_rotate_left", func(_ *Context, a []any) any {
		return rotate(a, 1)
	}, "DynamicArray, Integer -> dynamic")
	scalar("array_rotate_right", func(_ *Context, a []any) any {
		return rotate(a, -1)
	}, "DynamicArray, Integer -> dynamic")
	scalar("array_shift_left", func(_ *Context, a []any) any {
		return shift(a, 1)
	}, "DynamicArray, Integer, Scalar? -> dynamic")
	scalar("array_shift_right", func(_ *Context, a []any) any {
		return shift(a, -1)
	}, "DynamicArray, Integer, Scalar? -> dynamic")
	scalar("array_split", evalArraySplit,
		"DynamicArray, Integer -> dynamic", "DynamicArray, DynamicArray -> dynamic")
	scalar("jaccard_index", evalJaccard, "DynamicArray, DynamicArray -> dynamic")
	scalar("has_any_index", evalHasAnyIndex, "StringOrDynamic, DynamicArray -> long")
	scalar("replace_strings", evalReplaceStrings,
		"string, DynamicArray, DynamicArray -> string")
	scalar("range", evalRange, "Summable, Summable, Summable? -> dynamic")
	scalar("treepath", evalTreepath, "DynamicBag -> dynamic")
}

// evalTreepath lists the path expressions of a bag's contents in order of
// first appearance: ['key'] for each property and [0] standing for every
// element of an array.
func evalTreepath(_ *Context, a []any) any {
	b, ok := a[0].(*types.Bag)
	if !ok {
		return nil
	}
	out := []any{}
	seen := map[string]bool{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case *types.Bag:
			for _, k := range x.Keys() {
				p := path + "['" + strings.ReplaceAll(k, "'", `\'`) + "']"
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
				e, _ := x.Get(k)
				walk(p, e)
			}
		case []any:
			if len(x) == 0 {
				return
			}
			p := path + "[0]"
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
			for _, e := range x {
				walk(p, e)
			}
		}
	}
	walk("", b)
	return out
}

// evalArrayIff picks, element by element, from when_true or when_false by
// the condition array; numbers are true when not zero, other values give
// null, and a branch array that is too short supplies null.
func evalArrayIff(_ *Context, a []any) any {
	cond, ok := a[0].([]any)
	if !ok {
		return nil
	}
	pick := func(branch any, i int) any {
		if arr, ok := branch.([]any); ok {
			if i < len(arr) {
				return arr[i]
			}
			return nil
		}
		return branch
	}
	out := make([]any, len(cond))
	for i, c := range cond {
		var b, known bool
		switch x := c.(type) {
		case bool:
			b, known = x, true
		case int64, int32, float64:
			f, _ := asReal(x)
			b, known = f != 0, true
		}
		switch {
		case !known:
			out[i] = nil
		case b:
			out[i] = pick(a[1], i)
		default:
			out[i] = pick(a[2], i)
		}
	}
	return out
}

// rotate rotates the array a[0] by a[1] places, to the left for dir 1 and
// to the right for dir -1; a negative count rotates the other way.
func rotate(a []any, dir int64) any {
	arr, ok := a[0].([]any)
	n, ok2 := asLong(a[1])
	if !ok || !ok2 {
		return nil
	}
	out := make([]any, len(arr))
	if len(arr) == 0 {
		return out
	}
	k := (n * dir) % int64(len(arr))
	if k < 0 {
		k += int64(len(arr))
	}
	for i := range arr {
		out[i] = arr[(int64(i)+k)%int64(len(arr))]
	}
	return out
}

// shift shifts the array a[0] by a[1] places, to the left for dir 1 and to
// the right for dir -1, filling vacated places with a[2] (by default null,
// or "" in an array of strings).
func shift(a []any, dir int64) any {
	arr, ok := a[0].([]any)
	n, ok2 := asLong(a[1])
	if !ok || !ok2 {
		return nil
	}
	var fill any
	if len(a) > 2 {
		fill = a[2]
	} else if allStrings(arr) {
		fill = "" // the default is "" for an array of strings, else null
	}
	out := make([]any, len(arr))
	k := n * dir
	for i := range out {
		j := int64(i) + k
		if j >= 0 && j < int64(len(arr)) {
			out[i] = arr[j]
		} else {
			out[i] = fill
		}
	}
	return out
}

func allStrings(arr []any) bool {
	for _, v := range arr {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return len(arr) > 0
}

// evalArraySplit splits an array at one index or an array of indices into
// N+1 arrays; negative indices count from the end, and indices are clamped
// to the array.
func evalArraySplit(_ *Context, a []any) any {
	arr, ok := a[0].([]any)
	if !ok {
		return nil
	}
	var idx []int64
	if list, isArr := a[1].([]any); isArr {
		for _, v := range list {
			n, ok := asLong(v)
			if !ok {
				return nil
			}
			idx = append(idx, n)
		}
	} else {
		n, ok := asLong(a[1])
		if !ok {
			return nil
		}
		idx = []int64{n}
	}
	size := int64(len(arr))
	out := make([]any, 0, len(idx)+1)
	from := int64(0)
	for _, i := range idx {
		if i < 0 {
			i += size
		}
		i = max(from, min(i, size))
		out = append(out, append([]any{}, arr[from:i]...))
		from = i
	}
	return append(out, append([]any{}, arr[from:]...))
}

// evalJaccard computes |A ∩ B| / |A ∪ B| over the distinct elements of two
// arrays; two empty sets give NaN.
// TODO: Kusto.Language types the result as dynamic; the value is a real.
func evalJaccard(_ *Context, a []any) any {
	x, ok1 := a[0].([]any)
	y, ok2 := a[1].([]any)
	if !ok1 || !ok2 {
		return nil
	}
	inX := map[string]bool{}
	for _, v := range x {
		inX[setKey(v)] = true
	}
	union := len(inX)
	common := 0
	seen := map[string]bool{}
	for _, v := range y {
		k := setKey(v)
		if seen[k] {
			continue
		}
		seen[k] = true
		if inX[k] {
			common++
		} else {
			union++
		}
	}
	if union == 0 {
		return math.NaN()
	}
	return float64(common) / float64(union)
}

// evalHasAnyIndex returns the index of the first lookup value that the
// source has as a term (as the has operator), or -1.
func evalHasAnyIndex(_ *Context, a []any) any {
	lookups, ok := a[1].([]any)
	if !ok {
		return nil
	}
	var text string
	switch x := a[0].(type) {
	case string:
		text = x
	case nil:
		return int64(-1)
	default:
		text = types.FormatDynamic(x)
	}
	for i, v := range lookups {
		if v == nil {
			continue
		}
		t := str(v)
		if t != "" && Has(text, t) {
			return int64(i)
		}
	}
	return int64(-1)
}

// evalReplaceStrings replaces every match of each lookup string by the
// rewrite at the same index. Matches never overlap: the earlier lookup
// claims its matches first, then later lookups match in what is left. A
// rewrite that is not a string keeps the matched text.
func evalReplaceStrings(_ *Context, a []any) any {
	text, _ := a[0].(string)
	lookups, ok1 := a[1].([]any)
	rewrites, ok2 := a[2].([]any)
	if !ok1 || !ok2 {
		return text
	}
	type match struct {
		at, end int
		with    string
	}
	var taken []match
	// claimed marks the bytes already inside a match, so that checking a
	// candidate costs its length rather than the number of matches.
	claimed := make([]bool, len(text))
	free := func(at, end int) bool {
		for k := at; k < end; k++ {
			if claimed[k] {
				return false
			}
		}
		return true
	}
	for i, l := range lookups {
		s, ok := l.(string)
		if !ok || s == "" {
			continue
		}
		var with any
		if i < len(rewrites) {
			with = rewrites[i]
		}
		w, isStr := with.(string)
		if !isStr {
			w = s
		}
		for from := 0; from <= len(text)-len(s); {
			j := strings.Index(text[from:], s)
			if j < 0 {
				break
			}
			at := from + j
			if free(at, at+len(s)) {
				taken = append(taken, match{at, at + len(s), w})
				for k := at; k < at+len(s); k++ {
					claimed[k] = true
				}
				from = at + len(s)
			} else {
				from = at + 1
			}
		}
	}
	if len(taken) == 0 {
		return text
	}
	sort.Slice(taken, func(i, j int) bool { return taken[i].at < taken[j].at })
	var b strings.Builder
	pos := 0
	for _, m := range taken {
		b.WriteString(text[pos:m.at])
		b.WriteString(m.with)
		pos = m.end
	}
	b.WriteString(text[pos:])
	return b.String()
}

// maxRangeElements bounds the arrays range() builds, as Kusto caps them.
const maxRangeElements = 1048576

// evalRange builds the array start, start+step, ... up to stop inclusive.
// The step defaults to 1, or 1h for datetimes and timespans.
func evalRange(_ *Context, a []any) any {
	if a[0] == nil || a[1] == nil {
		return nil
	}
	var step any = int64(1)
	switch a[0].(type) {
	case types.Date, types.Duration:
		step = types.Hour
	}
	if len(a) > 2 {
		if a[2] == nil {
			return nil
		}
		step = a[2]
	}
	out := []any{}
	switch start := a[0].(type) {
	case types.Date:
		stop, ok1 := a[1].(types.Date)
		st, ok2 := step.(types.Duration)
		if !ok1 || !ok2 || st == 0 {
			return nil
		}
		for v := start; (st > 0 && v <= stop) || (st < 0 && v >= stop); v += types.Date(st) {
			if len(out) >= maxRangeElements {
				break
			}
			out = append(out, v)
		}
	case types.Duration:
		stop, ok1 := a[1].(types.Duration)
		st, ok2 := step.(types.Duration)
		if !ok1 || !ok2 || st == 0 {
			return nil
		}
		for v := start; (st > 0 && v <= stop) || (st < 0 && v >= stop); v += st {
			if len(out) >= maxRangeElements {
				break
			}
			out = append(out, v)
		}
	case int64, int32:
		s, _ := asLong(start)
		e, ok1 := asLong(a[1])
		st, ok2 := step.(int64)
		if i32, is32 := step.(int32); is32 {
			st, ok2 = int64(i32), true
		}
		if !ok1 || !ok2 || st == 0 {
			return rangeReal(a[0], a[1], step)
		}
		for v := s; (st > 0 && v <= e) || (st < 0 && v >= e); v += st {
			if len(out) >= maxRangeElements {
				break
			}
			out = append(out, v)
		}
	default:
		return rangeReal(a[0], a[1], step)
	}
	return out
}

func rangeReal(start, stop, step any) any {
	s, ok1 := asReal(start)
	e, ok2 := asReal(stop)
	st, ok3 := asReal(step)
	if !ok1 || !ok2 || !ok3 || st == 0 {
		return nil
	}
	out := []any{}
	for i := 0; i < maxRangeElements; i++ {
		v := s + float64(i)*st
		if (st > 0 && v > e) || (st < 0 && v < e) {
			break
		}
		out = append(out, v)
	}
	return out
}
