package functions

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// The property test below calls every registered scalar function with every
// argument count it accepts and with representative argument types, wrong
// ones included, and, where the types check, with awkward values: nulls,
// empty strings, zero, negatives, the extremes of each type, infinities,
// NaN and empty or nested dynamic values. The property is that nothing
// panics (safeEval's guard is reported through evalPanicked)
// and nothing hangs.

// allTypes are the argument types tried, Unknown standing for an untyped null.
var allTypes = []types.Type{
	types.Unknown, types.Bool, types.Int, types.Long, types.Real, types.Decimal,
	types.String, types.Datetime, types.Timespan, types.Guid, types.Dynamic,
}

// awkwardValues returns fresh awkward values of type t, null first (the empty
// string for string, which has no null). Fresh, so that a function that
// mutates its input cannot disturb the next call.
func awkwardValues(t types.Type) []any {
	bag := func(kv ...any) *types.Bag {
		b := types.NewBag()
		for i := 0; i+1 < len(kv); i += 2 {
			b.Set(kv[i].(string), kv[i+1])
		}
		return b
	}
	switch t {
	case types.Bool:
		return []any{nil, true, false}
	case types.Int:
		return []any{nil, int32(0), int32(-1), int32(1), int32(math.MaxInt32), int32(math.MinInt32)}
	case types.Long:
		return []any{nil, int64(0), int64(-1), int64(1), int64(7), int64(-7),
			int64(math.MaxInt64), int64(math.MinInt64)}
	case types.Real:
		return []any{nil, 0.0, -0.5, 1.5, math.Inf(1), math.Inf(-1), math.NaN(),
			math.MaxFloat64, -math.SmallestNonzeroFloat64}
	case types.Decimal:
		return []any{nil, decimal.Zero, decimal.NewFromInt(-3),
			decimal.RequireFromString("79228162514264337593543950335"),
			decimal.RequireFromString("-0.0000000000000000000000000001")}
	case types.String:
		return []any{"", " ", "a", "-1", "1.5", "1e309", "null", "(", "[", "\\",
			"[1,[2]]", `{"a":{"b":[]}}`, "{not json", "äöü\u0000\U0001F600",
			strings.Repeat("x", 300), "2025-05-08T01:02:03Z", "1.02:03:04", "10.0.0.1/33"}
	case types.Datetime:
		return []any{nil, types.Date(0), types.Date(math.MaxInt64), types.Date(-1),
			types.DateFromTime(time.Unix(0, 0)), types.DateFromTime(time.Unix(-1, 0)),
			types.DateFromTime(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC))}
	case types.Timespan:
		return []any{nil, types.Duration(0), types.Duration(-1), types.Duration(math.MaxInt64),
			types.Duration(math.MinInt64), types.Duration(36_000_000_000)}
	case types.Guid:
		return []any{nil, uuid.Nil, uuid.MustParse("00112233-4455-6677-8899-aabbccddeeff")}
	case types.Dynamic:
		return []any{nil, []any{}, []any{nil}, []any{[]any{}}, []any{int64(1), "a", nil, 2.5},
			[]any{[]any{int64(1), int64(2)}, []any{int64(3)}}, bag(), bag("a", nil),
			bag("a", bag("b", []any{})), int64(math.MaxInt64), "s", "", math.NaN(), true,
			[]any{math.Inf(1), int64(math.MinInt64)}}
	}
	return []any{nil}
}

// typeCombos lists the argument type lists tried for n arguments: every
// combination up to three arguments, and beyond that every uniform list plus
// a fixed pseudo-random sample, so that the run stays short.
func typeCombos(n int, rng *rand.Rand) [][]types.Type {
	if n == 0 {
		return [][]types.Type{{}}
	}
	if n <= 3 {
		var out [][]types.Type
		var rec func(prefix []types.Type)
		rec = func(prefix []types.Type) {
			if len(prefix) == n {
				out = append(out, append([]types.Type(nil), prefix...))
				return
			}
			for _, t := range allTypes {
				rec(append(prefix, t))
			}
		}
		rec(nil)
		return out
	}
	var out [][]types.Type
	for _, t := range allTypes {
		c := make([]types.Type, n)
		for i := range c {
			c[i] = t
		}
		out = append(out, c)
	}
	for range 400 {
		c := make([]types.Type, n)
		for i := range c {
			c[i] = allTypes[rng.Intn(len(allTypes))]
		}
		out = append(out, c)
	}
	return out
}

// arities lists the argument counts tried for f: all of them from MinArgs,
// capped at three beyond it for variadic functions.
func arities(min, max int) []int {
	if max < 0 || max > min+3 {
		max = min + 3
	}
	var out []int
	for n := min; n <= max; n++ {
		out = append(out, n)
	}
	return out
}

// nullOf is the value a null of type t has: nil, or "" for string.
func nullOf(t types.Type) any {
	if t == types.String {
		return ""
	}
	return nil
}

// callTimeout bounds one call of callGuarded. The slowest calls (range()
// filling its 2^20 elements with decimals) take a fraction of a second
// alone but several seconds when the machine runs other test packages.
const callTimeout = 30 * time.Second

// callGuarded runs fn, turning a panic (also one that safeEval recovered) or
// a hang into an error.
func callGuarded(fn func()) (err error) {
	done := make(chan error, 1)
	go func() {
		var recovered any
		evalDone := func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("panic: %v", r)
				return
			}
			if recovered != nil {
				done <- fmt.Errorf("panic (recovered by safeEval): %v", recovered)
				return
			}
			done <- nil
		}
		defer evalDone()
		evalPanicked = func(r any) {
			if recovered == nil {
				recovered = r
			}
		}
		fn()
	}()
	select {
	case err = <-done:
	case <-time.After(callTimeout):
		err = fmt.Errorf("did not return within %v", callTimeout)
	}
	evalPanicked = nil
	return err
}

func formatArgs(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		if s, ok := v.(string); ok && len(s) > 20 {
			v = s[:20] + "..."
		}
		parts[i] = fmt.Sprintf("%T(%v)", v, v)
	}
	return strings.Join(parts, ", ")
}

// TestPropertyScalarsNeverPanic calls every scalar function with every
// accepted arity and argument types, and with awkward values.
func TestPropertyScalarsNeverPanic(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	ctx := NewContext(time.Date(2025, 5, 8, 0, 0, 0, 0, time.UTC))
	failures := 0
	for _, name := range ScalarNames() {
		f, _ := LookupScalar(name)
		for _, n := range arities(f.MinArgs, f.MaxArgs) {
			for _, ts := range typeCombos(n, rng) {
				if failures > 50 {
					t.Fatal("too many failures")
				}
				argTypes, argSamples := ts, make([][]any, n)
				if f.TypeArg > 0 && f.TypeArg <= n {
					if ts[f.TypeArg-1] == types.Unknown {
						continue
					}
				}
				var rerr error
				if err := callGuarded(func() { _, rerr = f.Result(argTypes) }); err != nil {
					t.Errorf("%s Result(%v): %v", name, ts, err)
					failures++
					continue
				}
				if rerr != nil {
					continue
				}
				for i, at := range ts {
					argSamples[i] = awkwardValues(at)
					if f.TypeArg == i+1 {
						argSamples[i] = []any{at}
					}
				}
				for _, vals := range valueLists(argSamples, rng) {
					if err := callGuarded(func() { f.Eval(ctx, vals) }); err != nil {
						t.Errorf("%s(%s): %v", name, formatArgs(vals), err)
						failures++
						break
					}
				}
			}
		}
	}
}

// valueLists returns the value lists tried for one list of argument types:
// each argument's samples in turn with the others at their second sample
// (the first is null), all nulls, and a few random mixtures.
func valueLists(samples [][]any, rng *rand.Rand) [][]any {
	n := len(samples)
	pick := func(i, j int) any { return samples[i][j%len(samples[i])] }
	var out [][]any
	nulls := make([]any, n)
	for i := range nulls {
		nulls[i] = pick(i, 0)
	}
	out = append(out, nulls)
	for i := range n {
		for j := range samples[i] {
			vals := make([]any, n)
			for k := range vals {
				vals[k] = pick(k, 1)
			}
			vals[i] = pick(i, j)
			out = append(out, vals)
		}
	}
	for range 8 {
		vals := make([]any, n)
		for k := range vals {
			vals[k] = pick(k, rng.Intn(len(samples[k])))
		}
		out = append(out, vals)
	}
	return out
}
