package functions

import (
	"math"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the t-digest aggregates tdigest and tdigest_merge
// (merge_tdigest) and the scalar functions over digests: percentile_tdigest,
// percentiles_array_tdigest, rank_tdigest, percentrank_tdigest and
// tdigest_merge (merge_tdigest).
//
// A digest is a dynamic value in Kusto's layout: [[type code], [centroid
// values], [centroid weights]]. Up to maxCentroids distinct values a digest
// is exact (one centroid per value, its weight the count), so percentiles
// are the nearest-rank percentiles Kusto documents; beyond that, neighbouring
// centroids are merged and the answers become estimates, as in Kusto.

// maxCentroids bounds a digest's centroids.
const maxCentroids = 10000

// Type codes of digest values: 7 for integers is Kusto's; the others are
// ours, as digests only need to round-trip through these functions.
const (
	tdLong     = 7
	tdReal     = 10
	tdDatetime = 12
	tdTimespan = 13
	tdDecimal  = 14
)

// digest is a decoded t-digest; centroids are sorted by value.
type digest struct {
	code    int64
	values  []any
	weights []int64
}

func tdCode(v any) int64 {
	switch v.(type) {
	case int64, int32:
		return tdLong
	case float64:
		return tdReal
	case types.Date:
		return tdDatetime
	case types.Duration:
		return tdTimespan
	case decimal.Decimal:
		return tdDecimal
	}
	return 0
}

// tdAccumulator collects weighted values into a digest.
type tdAccumulator struct {
	code   int64
	index  map[string]int
	d      digest
	failed bool // values of different types were added
}

func newTDAccumulator() *tdAccumulator {
	return &tdAccumulator{index: map[string]int{}}
}

func (t *tdAccumulator) add(v any, w int64) {
	if v == nil || w <= 0 || isNaN(v) {
		return
	}
	if x, ok := v.(int32); ok {
		v = int64(x)
	}
	code := tdCode(v)
	if code == 0 {
		return
	}
	if t.code == 0 {
		t.code = code
	} else if t.code != code {
		t.failed = true
		return
	}
	k := setKey(v)
	if i, ok := t.index[k]; ok {
		t.d.weights[i] += w
		return
	}
	t.index[k] = len(t.d.values)
	t.d.values = append(t.d.values, v)
	t.d.weights = append(t.d.weights, w)
	if len(t.d.values) > 2*maxCentroids {
		t.compress()
	}
}

func (t *tdAccumulator) addDigest(v any) {
	d, ok := decodeDigest(v)
	if !ok {
		return
	}
	for i, x := range d.values {
		t.add(x, d.weights[i])
	}
}

// compress merges neighbouring centroids until at most maxCentroids remain,
// as a merging t-digest does: a centroid around quantile q may grow to
// 4·n·q(1-q)/δ, so the tails stay exact while the middle is summarized.
// A merged centroid holds the weighted mean (rounded for integer types).
func (t *tdAccumulator) compress() {
	t.d.sort()
	if len(t.d.values) <= maxCentroids {
		return
	}
	total := float64(t.d.total())
	for delta := float64(maxCentroids) / 2; len(t.d.values) > maxCentroids; delta /= 2 {
		var vals []any
		var ws []int64
		sum, w, left := 0.0, int64(0), 0.0
		flush := func() {
			v := tdFromReal(t.code, sum/float64(w), nil)
			if n := len(vals); n > 0 && Compare(vals[n-1], v) == 0 {
				ws[n-1] += w // rounding made two centroids equal
			} else {
				vals = append(vals, v)
				ws = append(ws, w)
			}
			left += float64(w)
		}
		for i, x := range t.d.values {
			f, _ := tdReal64(x)
			wi := t.d.weights[i]
			if w > 0 {
				q := (left + float64(w+wi)/2) / total
				if float64(w+wi) > max(4*total*q*(1-q)/delta, 1) {
					flush()
					sum, w = 0, 0
				}
			}
			sum += f * float64(wi)
			w += wi
		}
		if w > 0 {
			flush()
		}
		t.d.values, t.d.weights = vals, ws
	}
	t.index = map[string]int{}
	for i, v := range t.d.values {
		t.index[setKey(v)] = i
	}
}

func (t *tdAccumulator) result() any {
	if t.failed || t.code == 0 {
		return nil
	}
	t.compress()
	t.d.sort()
	vals := append([]any{}, t.d.values...)
	ws := make([]any, len(t.d.weights))
	for i, w := range t.d.weights {
		ws[i] = w
	}
	return []any{[]any{t.code}, vals, ws}
}

func tdReal64(v any) (float64, bool) {
	switch x := v.(type) {
	case types.Date:
		return float64(x), true
	case types.Duration:
		return float64(x), true
	}
	return asReal(v)
}

func tdFromReal(code int64, f float64, like any) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return like
	}
	switch code {
	case tdLong:
		return int64(math.Round(f))
	case tdDatetime:
		return types.Date(math.Round(f))
	case tdTimespan:
		return types.Duration(math.Round(f))
	case tdDecimal:
		return decimal.NewFromFloat(f)
	case tdReal:
		return f
	}
	return like
}

func (d *digest) sort() {
	idx := make([]int, len(d.values))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		return Compare(d.values[idx[i]], d.values[idx[j]]) < 0
	})
	vals := make([]any, len(idx))
	ws := make([]int64, len(idx))
	for i, k := range idx {
		vals[i], ws[i] = d.values[k], d.weights[k]
	}
	d.values, d.weights = vals, ws
}

// decodeDigest reads a digest value; values read from JSON text (strings
// for datetimes and timespans) are converted back by the type code.
func decodeDigest(v any) (*digest, bool) {
	arr, ok := v.([]any)
	if !ok || len(arr) != 3 {
		return nil, false
	}
	head, ok1 := arr[0].([]any)
	vals, ok2 := arr[1].([]any)
	ws, ok3 := arr[2].([]any)
	if !ok1 || !ok2 || !ok3 || len(head) < 1 || len(vals) != len(ws) {
		return nil, false
	}
	code, ok := asLong(head[0])
	if !ok {
		return nil, false
	}
	d := &digest{code: code}
	for i, x := range vals {
		var val any
		switch code {
		case tdLong:
			n, ok := asLong(x)
			if !ok {
				return nil, false
			}
			val = n
		case tdReal:
			f, ok := asReal(x)
			if !ok {
				return nil, false
			}
			val = f
		case tdDatetime:
			t, ok := asDate(x)
			if !ok {
				return nil, false
			}
			val = t
		case tdTimespan:
			t, ok := asDuration(x)
			if !ok {
				return nil, false
			}
			val = t
		case tdDecimal:
			val = toDecimalValue(x)
			if val == nil {
				return nil, false
			}
		default:
			return nil, false
		}
		w, ok := asLong(ws[i])
		if !ok || w < 0 {
			return nil, false
		}
		d.values = append(d.values, val)
		d.weights = append(d.weights, w)
	}
	d.sort()
	return d, true
}

func (d *digest) total() int64 {
	n := int64(0)
	for _, w := range d.weights {
		n += w
	}
	return n
}

// percentile returns the nearest-rank p-th percentile: the smallest value
// whose cumulative weight reaches ceil(p/100 * total), at least the first.
func (d *digest) percentile(p float64) any {
	n := d.total()
	if n == 0 || math.IsNaN(p) {
		return nil
	}
	rank := int64(math.Ceil(p / 100 * float64(n)))
	rank = max(1, min(rank, n))
	cum := int64(0)
	for i, w := range d.weights {
		cum += w
		if cum >= rank {
			return d.values[i]
		}
	}
	return d.values[len(d.values)-1]
}

// rank returns the total weight of the values at most v.
func (d *digest) rank(v any) (float64, bool) {
	if v == nil {
		return 0, false
	}
	if d.code == tdDatetime || d.code == tdTimespan {
		if _, ok := v.(string); ok {
			return 0, false
		}
	}
	cum := int64(0)
	for i, x := range d.values {
		c := Compare(x, v)
		if c > 0 {
			break
		}
		cum += d.weights[i]
	}
	return float64(cum), true
}

func init() {
	aggregate("tdigest", func([]types.Type) Accumulator {
		t := newTDAccumulator()
		return &accFunc{
			add: func(args []any) {
				w := int64(1)
				if len(args) > 1 {
					n, ok := asLong(args[1])
					if !ok {
						return
					}
					w = n
				}
				t.add(args[0], w)
			},
			result: func() []any { return []any{t.result()} },
		}
	}, nil, "Summable, Integer? -> dynamic")
	merge := aggregate("tdigest_merge", func([]types.Type) Accumulator {
		t := newTDAccumulator()
		return &accFunc{
			add:    func(args []any) { t.addDigest(args[0]) },
			result: func() []any { return []any{t.result()} },
		}
	}, nil, "DynamicArray -> dynamic")
	aggAlias("merge_tdigest", merge)

	mergeScalar := scalar("tdigest_merge", func(_ *Context, a []any) any {
		t := newTDAccumulator()
		for _, d := range a {
			if _, ok := decodeDigest(d); !ok {
				return nil
			}
			t.addDigest(d)
		}
		return t.result()
	}, "DynamicArray, DynamicArray* -> dynamic")
	mergeScalar.MaxArgs = 16 // as Kusto: a single digest is merged by the aggregate
	alias("merge_tdigest", mergeScalar)

	scalar("percentile_tdigest", func(_ *Context, a []any) any {
		d, ok := decodeDigest(a[0])
		p, ok2 := asReal(a[1])
		if !ok || !ok2 || a[1] == nil {
			return nil
		}
		v := d.percentile(p)
		if len(a) > 2 {
			if t, ok := asTypeArg(a[2]); ok {
				return Convert(v, t)
			}
		}
		return v
	}, "DynamicArray, real -> dynamic", "DynamicArray, real, type -> TypeArg")
	scalar("percentiles_array_tdigest", func(_ *Context, a []any) any {
		d, ok := decodeDigest(a[0])
		if !ok {
			return nil
		}
		// The docs also pass a trailing typeof(T) for the elements.
		to, typed := a[len(a)-1].(types.Type)
		if typed {
			a = a[:len(a)-1]
		}
		var ps []any
		for _, p := range a[1:] {
			if arr, isArr := p.([]any); isArr {
				ps = append(ps, arr...)
			} else {
				ps = append(ps, p)
			}
		}
		out := make([]any, len(ps))
		for i, p := range ps {
			f, ok := asReal(p)
			if !ok || p == nil {
				return nil
			}
			out[i] = d.percentile(f)
			if typed {
				out[i] = Convert(out[i], to)
			}
		}
		return out
	}, "DynamicArray, real* -> dynamic", "DynamicArray, DynamicArray -> dynamic",
		"DynamicArray, real*, type -> dynamic", "DynamicArray, DynamicArray, type -> dynamic")
	scalar("rank_tdigest", func(_ *Context, a []any) any {
		d, ok := decodeDigest(a[0])
		if !ok {
			return nil
		}
		r, ok := d.rank(a[1])
		if !ok {
			return nil
		}
		return r
	}, "DynamicArray, Scalar -> real")
	scalar("percentrank_tdigest", func(_ *Context, a []any) any {
		d, ok := decodeDigest(a[0])
		if !ok {
			return nil
		}
		r, ok := d.rank(a[1])
		n := d.total()
		if !ok || n == 0 {
			return nil
		}
		return r * 100 / float64(n)
	}, "DynamicArray, Scalar -> real")
}
