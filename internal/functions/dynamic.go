package functions

import (
	"sort"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the functions over dynamic arrays and property bags.
// Arrays are []any and bags *types.Bag; a function given a value of the
// wrong shape returns null, as Kusto does.

func init() {
	scalar("array_length", func(_ *Context, a []any) any {
		if arr, ok := a[0].([]any); ok {
			return int64(len(arr))
		}
		return nil
	}, "Dynamic -> long")
	// array_sum is a real; "if the array contains elements of non-numeric
	// types, the result is null".
	scalar("array_sum", func(_ *Context, a []any) any {
		arr, ok := a[0].([]any)
		if !ok {
			return nil
		}
		sum := 0.0
		for _, e := range arr {
			if !isNumber(e) {
				return nil
			}
			f, _ := asReal(e)
			sum += f
		}
		return sum
	}, "Dynamic -> real")
	scalar("bag_keys", func(_ *Context, a []any) any {
		b, ok := a[0].(*types.Bag)
		if !ok {
			return nil
		}
		out := make([]any, b.Len())
		for i, k := range b.Keys() {
			out[i] = k
		}
		return out
	}, "Dynamic -> dynamic")
	pack := scalar("bag_pack", evalBagPack, "string*, Scalar* -> dynamic")
	alias("pack", pack)
	alias("pack_dictionary", pack)
	scalar("pack_array", func(_ *Context, a []any) any {
		out := make([]any, len(a))
		copy(out, a)
		return out
	}, "Scalar* -> dynamic")
	scalar("array_concat", func(_ *Context, a []any) any {
		out := []any{}
		for _, v := range a {
			arr, ok := v.([]any)
			if !ok {
				return nil
			}
			out = append(out, arr...)
		}
		return out
	}, "Dynamic* -> dynamic")
	scalar("array_slice", evalArraySlice, "Dynamic, Integer, Integer -> dynamic")
	scalar("array_reverse", func(_ *Context, a []any) any {
		arr, ok := a[0].([]any)
		if !ok {
			return nil
		}
		out := make([]any, len(arr))
		for i, v := range arr {
			out[len(arr)-1-i] = v
		}
		return out
	}, "Dynamic -> dynamic")
	scalar("array_index_of", evalArrayIndexOf,
		"Dynamic, Scalar, Integer?, Integer?, Integer? -> long")
	scalar("set_has_element", func(_ *Context, a []any) any {
		arr, ok := a[0].([]any)
		if !ok {
			return nil
		}
		for _, e := range arr {
			if Equal(e, a[1]) {
				return true
			}
		}
		return false
	}, "Dynamic, Scalar -> bool")
	scalar("set_union", func(_ *Context, a []any) any { return setOp(a, "union") },
		"Dynamic* -> dynamic")
	scalar("set_intersect", func(_ *Context, a []any) any { return setOp(a, "intersect") },
		"Dynamic* -> dynamic")
	scalar("set_difference", func(_ *Context, a []any) any { return setOp(a, "difference") },
		"Dynamic* -> dynamic")
	scalar("set_equals", func(_ *Context, a []any) any {
		x, y := setOp(a[:1], "union"), setOp(a[1:], "union")
		xa, ok1 := x.([]any)
		ya, ok2 := y.([]any)
		if !ok1 || !ok2 {
			return nil
		}
		d1 := setOp([]any{xa, ya}, "difference").([]any)
		d2 := setOp([]any{ya, xa}, "difference").([]any)
		return len(d1) == 0 && len(d2) == 0
	}, "Dynamic, Dynamic -> bool")
	scalar("bag_merge", func(_ *Context, a []any) any {
		out := types.NewBag()
		for _, v := range a {
			b, ok := v.(*types.Bag)
			if !ok {
				continue
			}
			for _, k := range b.Keys() {
				if _, seen := out.Get(k); !seen {
					val, _ := b.Get(k)
					out.Set(k, val)
				}
			}
		}
		return out
	}, "Dynamic* -> dynamic")
	scalar("bag_has_key", func(_ *Context, a []any) any {
		b, ok := a[0].(*types.Bag)
		if !ok {
			return nil
		}
		// The key may be a JSONPath to a nested key ($.a.b); array
		// indexing is not supported, so a path that has one is not found.
		path, ok := bagKeyPath(str(a[1]))
		if !ok {
			return false
		}
		for i, k := range path {
			v, has := b.Get(k)
			if !has {
				return false
			}
			if i < len(path)-1 {
				if b, ok = v.(*types.Bag); !ok {
					return false
				}
			}
		}
		return true
	}, "Dynamic, string -> bool")
	scalar("bag_remove_keys", func(_ *Context, a []any) any {
		b, ok := a[0].(*types.Bag)
		keys, ok2 := a[1].([]any)
		if !ok || !ok2 {
			return nil
		}
		out := copyBag(b)
		for _, k := range keys {
			path, ok := bagKeyPath(str(k))
			if ok {
				removePath(out, path)
			}
		}
		return out
	}, "Dynamic, Dynamic -> dynamic")
	scalar("bag_set_key", func(_ *Context, a []any) any {
		b, ok := a[0].(*types.Bag)
		path, ok2 := bagKeyPath(str(a[1]))
		if !ok || !ok2 {
			return nil
		}
		out := copyBag(b)
		cur := out
		for _, k := range path[:len(path)-1] {
			v, _ := cur.Get(k)
			next, ok := v.(*types.Bag)
			if ok {
				next = copyBag(next)
			} else {
				next = types.NewBag()
			}
			cur.Set(k, next)
			cur = next
		}
		cur.Set(path[len(path)-1], a[2])
		return out
	}, "Dynamic, string, Scalar -> dynamic")
	scalar("bag_zip", func(_ *Context, a []any) any {
		keys, ok := a[0].([]any)
		if !ok {
			return nil
		}
		// Values that are not an array leave every key null, as documented.
		vals, _ := a[1].([]any)
		out := types.NewBag()
		for i, k := range keys {
			s, isStr := k.(string)
			if !isStr {
				continue
			}
			var v any
			if i < len(vals) {
				v = vals[i]
			}
			out.Set(s, v)
		}
		return out
	}, "Dynamic, Dynamic -> dynamic")
	// dynamic_to_json writes property bags with their keys sorted, so that
	// equal bags give equal text.
	scalar("dynamic_to_json", func(_ *Context, a []any) any {
		return string(types.AppendJSON(nil, sortedKeys(a[0])))
	}, "Scalar -> string")
	scalar("zip", evalZip, "Dynamic* -> dynamic")
	// pack_all is bound by sema as pack_all(ignore_null_empty, name1,
	// value1, ...) over the row's columns.
	scalar("pack_all", func(_ *Context, a []any) any {
		ignore, _ := a[0].(bool)
		out := types.NewBag()
		for i := 1; i+1 < len(a); i += 2 {
			v := a[i+1]
			if ignore && (v == nil || v == "") {
				continue
			}
			out.Set(str(a[i]), v)
		}
		return out
	}, "bool, Scalar* -> dynamic")
	// The nulls_last flag is optional after any number of arrays: two
	// overloads, since a layout puts a trailing optional after a repeat.
	scalar("array_sort_asc", func(_ *Context, a []any) any { return sortArrays(a, false) },
		"Dynamic*, bool -> dynamic", "Dynamic* -> dynamic")
	scalar("array_sort_desc", func(_ *Context, a []any) any { return sortArrays(a, true) },
		"Dynamic*, bool -> dynamic", "Dynamic* -> dynamic")
	strcatArray := func(_ *Context, a []any) any {
		arr, ok := a[0].([]any)
		if !ok {
			return ""
		}
		parts := make([]any, 0, len(arr)+1)
		parts = append(parts, a[1])
		parts = append(parts, arr...)
		s, _ := evalStrcatDelim(parts).(string)
		return s
	}
	scalar("strcat_array", strcatArray, "Dynamic, Scalar -> string")
	scalar("array_strcat", strcatArray, "Dynamic, Scalar -> string")
	scalar("repeat", func(_ *Context, a []any) any {
		n, ok := asLong(a[1])
		if !ok || n < 0 || n > 1<<20 {
			return nil
		}
		out := make([]any, n)
		for i := range out {
			out[i] = a[0]
		}
		return out
	}, "Scalar, long -> dynamic")
}

func evalStrcatDelim(a []any) any {
	d := str(a[0])
	var out []byte
	for i, v := range a[1:] {
		if i > 0 {
			out = append(out, d...)
		}
		out = append(out, str(v)...)
	}
	return string(out)
}

// bagKeyPath splits a key of bag_set_key or bag_remove_keys: a plain key,
// or a JSONPath such as $.a.b or $['a']['b'] into nested bags.
func bagKeyPath(key string) ([]string, bool) {
	if !strings.HasPrefix(key, "$") {
		return []string{key}, key != ""
	}
	var path []string
	rest := key[1:]
	for rest != "" {
		switch {
		case rest[0] == '.':
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			if end == 0 {
				return nil, false
			}
			path, rest = append(path, rest[:end]), rest[end:]
		case strings.HasPrefix(rest, "['") || strings.HasPrefix(rest, `["`):
			q := rest[1]
			end := strings.IndexByte(rest[2:], q)
			if end < 0 || !strings.HasPrefix(rest[2+end+1:], "]") {
				return nil, false
			}
			path, rest = append(path, rest[2:2+end]), rest[2+end+2:]
		default:
			return nil, false
		}
	}
	return path, len(path) > 0
}

// removePath deletes the key at path from b, copying the nested bags it
// changes so that shared values stay intact.
func removePath(b *types.Bag, path []string) {
	if len(path) == 1 {
		b.Delete(path[0])
		return
	}
	v, _ := b.Get(path[0])
	inner, ok := v.(*types.Bag)
	if !ok {
		return
	}
	inner = copyBag(inner)
	removePath(inner, path[1:])
	b.Set(path[0], inner)
}

// sortedKeys returns v with the keys of every property bag in it sorted
// ordinally.
func sortedKeys(v any) any {
	switch x := v.(type) {
	case *types.Bag:
		keys := append([]string(nil), x.Keys()...)
		sort.Strings(keys)
		out := types.NewBag()
		for _, k := range keys {
			e, _ := x.Get(k)
			out.Set(k, sortedKeys(e))
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = sortedKeys(e)
		}
		return out
	}
	return v
}

func copyBag(b *types.Bag) *types.Bag {
	out := types.NewBag()
	for _, k := range b.Keys() {
		v, _ := b.Get(k)
		out.Set(k, v)
	}
	return out
}

// evalBagPack pairs keys with values; a null key drops its pair.
func evalBagPack(_ *Context, a []any) any {
	out := types.NewBag()
	for i := 0; i+1 < len(a); i += 2 {
		if a[i] == nil {
			continue
		}
		out.Set(str(a[i]), a[i+1])
	}
	return out
}

// evalArraySlice returns elements start..end inclusive; negative indexes
// count from the end; the range is clipped to the array.
func evalArraySlice(_ *Context, a []any) any {
	arr, ok := a[0].([]any)
	s, ok1 := asLong(a[1])
	e, ok2 := asLong(a[2])
	if !ok || !ok1 || !ok2 {
		return nil
	}
	n := int64(len(arr))
	if s < 0 {
		s += n
	}
	if e < 0 {
		e += n
	}
	if s < 0 {
		s = 0
	}
	if e >= n {
		e = n - 1
	}
	if s > e {
		return []any{}
	}
	out := make([]any, e-s+1)
	copy(out, arr[s:e+1])
	return out
}

func evalArrayIndexOf(_ *Context, a []any) any {
	arr, ok := a[0].([]any)
	if !ok {
		return nil
	}
	n := int64(len(arr))
	start, length, occ := int64(0), int64(-1), int64(1)
	if len(a) > 2 && a[2] != nil {
		if start, ok = asLong(a[2]); !ok {
			return nil
		}
		if start < 0 {
			start += n
		}
	}
	if len(a) > 3 && a[3] != nil {
		if length, ok = asLong(a[3]); !ok {
			return nil
		}
	}
	if len(a) > 4 && a[4] != nil {
		if occ, ok = asLong(a[4]); !ok {
			return nil
		}
	}
	if start < 0 || start > n || length < -1 || occ <= 0 {
		return nil
	}
	end := n
	if length >= 0 && start+length < n {
		end = start + length
	}
	found := int64(0)
	for i := start; i < end; i++ {
		if Equal(arr[i], a[1]) {
			found++
			if found == occ {
				return i
			}
		}
	}
	return int64(-1)
}

// setKey identifies a value for set operations: values of different kinds
// never collide, and numbers of one value share a key.
func setKey(v any) string {
	switch x := v.(type) {
	case string:
		return "s" + x
	case int32:
		return "n" + types.Format(int64(x))
	case int64, float64:
		if f, ok := asReal(x); ok && f == float64(int64(f)) {
			n, _ := asLong(x)
			return "n" + types.Format(n)
		}
		return "n" + types.Format(x)
	}
	return types.TypeOf(v).String() + ":" + types.FormatDynamic(v)
}

// setOp computes the distinct union, intersection or difference (first
// minus the rest) of arrays, keeping first-seen order.
func setOp(a []any, op string) any {
	arrays := make([][]any, len(a))
	for i, v := range a {
		arr, ok := v.([]any)
		if !ok {
			return nil
		}
		arrays[i] = arr
	}
	if len(arrays) == 0 {
		return []any{}
	}
	out := []any{}
	seen := map[string]bool{}
	switch op {
	case "union":
		for _, arr := range arrays {
			for _, e := range arr {
				k := setKey(e)
				if !seen[k] {
					seen[k] = true
					out = append(out, e)
				}
			}
		}
	case "intersect", "difference":
		others := make([]map[string]bool, len(arrays)-1)
		for i, arr := range arrays[1:] {
			others[i] = map[string]bool{}
			for _, e := range arr {
				others[i][setKey(e)] = true
			}
		}
		for _, e := range arrays[0] {
			k := setKey(e)
			if seen[k] {
				continue
			}
			seen[k] = true
			keep := true
			for _, o := range others {
				if op == "intersect" && !o[k] || op == "difference" && o[k] {
					keep = false
					break
				}
			}
			if keep {
				out = append(out, e)
			}
		}
	}
	return out
}

// evalZip pairs up the elements of arrays; shorter arrays contribute nulls.
func evalZip(_ *Context, a []any) any {
	arrays := make([][]any, len(a))
	longest := 0
	for i, v := range a {
		arr, ok := v.([]any)
		if !ok {
			return nil
		}
		arrays[i] = arr
		longest = max(longest, len(arr))
	}
	out := make([]any, longest)
	for i := range out {
		row := make([]any, len(arrays))
		for j, arr := range arrays {
			if i < len(arr) {
				row[j] = arr[i]
			}
		}
		out[i] = row
	}
	return out
}

// sortArrays sorts the first array (nulls last unless the trailing bool
// says otherwise) and reorders the other arrays alike. With one array the
// sorted array is returned; with several, a bag of arrays is not what Kusto
// returns, so the first array alone is returned.
// TODO: several arrays should yield several output columns.
func sortArrays(a []any, desc bool) any {
	nullsLast := true
	if n := len(a); n > 1 {
		if b, ok := a[n-1].(bool); ok {
			nullsLast = b
			a = a[:n-1]
		}
	}
	if len(a) == 0 {
		return nil
	}
	arr, ok := a[0].([]any)
	if !ok {
		return nil
	}
	order := make([]int, len(arr))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		x, y := arr[order[i]], arr[order[j]]
		if x == nil || y == nil {
			if x == nil && y == nil {
				return false
			}
			return (y == nil) == nullsLast
		}
		c := Compare(x, y)
		if desc {
			return c > 0
		}
		return c < 0
	})
	permute := func(v any) any {
		src, ok := v.([]any)
		if !ok || len(src) != len(arr) {
			return nil // an array of another length sorts to null
		}
		out := make([]any, len(src))
		for i, k := range order {
			out[i] = src[k]
		}
		return out
	}
	if len(a) == 1 {
		return permute(arr)
	}
	// Several arrays: each ordered as the first is sorted, returned as an
	// array of arrays, so that array_sort_asc(t, c)[1] is c in t's order.
	// TODO: Kusto returns them as separate columns (array1_sorted, ...)
	// in print and extend; that needs tuple results in sema.
	out := make([]any, len(a))
	for i, v := range a {
		out[i] = permute(v)
	}
	return out
}
