package exec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

var allJoinKinds = []plan.JoinKind{plan.InnerUnique, plan.Inner, plan.LeftOuter,
	plan.RightOuter, plan.FullOuter, plan.LeftAnti, plan.RightAnti, plan.LeftSemi,
	plan.RightSemi}

// joinTestValue draws a value of type t from a small pool with duplicates,
// nulls (nil), empty strings and mixed case.
func joinTestValue(rng *rand.Rand, t types.Type) any {
	if t != types.String && rng.IntN(6) == 0 {
		return nil
	}
	k := rng.IntN(4)
	switch t {
	case types.String:
		return []string{"", "a", "A", "bB"}[k]
	case types.Bool:
		return k%2 == 0
	case types.Int:
		return int32(k - 1)
	case types.Long:
		return int64(k-1) << 40
	case types.Datetime:
		return types.Date(int64(k) * 864000000000)
	case types.Timespan:
		return types.Duration(-int64(k))
	case types.Real:
		return []float64{0, math.Copysign(0, -1), 1.5, -2}[k]
	case types.Guid:
		return uuid.UUID{byte(k)}
	case types.Decimal:
		return decimal.NewFromInt(int64(k))
	case types.Dynamic:
		return []any{int64(1), "1", "a", []any{int64(1)}}[k]
	}
	panic("no test values for " + t.String())
}

// joinTestBatches makes rows rows of schema s, cut into batches of random
// sizes; string columns of some batches carry a dictionary.
func joinTestBatches(rng *rand.Rand, s column.Schema, rows int) []*column.Batch {
	var out []*column.Batch
	for rows > 0 {
		n := min(rows, 1+rng.IntN(7))
		rows -= n
		b := column.NewBatch(s, n)
		for range n {
			for c, f := range s {
				b.Cols[c].Append(joinTestValue(rng, f.Type))
			}
			b.N++
		}
		if rng.IntN(2) == 0 {
			for _, v := range b.Cols {
				if v.Type == types.String {
					addDict(v)
				}
			}
		}
		out = append(out, b)
	}
	return out
}

// addDict gives a string vector a dictionary of its distinct values.
func addDict(v *column.Vector) {
	pos := map[string]int32{}
	v.Dict, v.Codes = nil, make([]int32, len(v.Str))
	for i, s := range v.Str {
		c, ok := pos[s]
		if !ok {
			c = int32(len(v.Dict))
			pos[s] = c
			v.Dict = append(v.Dict, s)
		}
		v.Codes[i] = c
	}
}

// joinTestPlan returns the join of kind over schemas ls and rs on the
// given key columns, its output schema made as the analyzer makes it.
func joinTestPlan(kind plan.JoinKind, ls, rs column.Schema, lk, rk []int, lookup bool,
) *plan.Join {
	n := &plan.Join{Left: &plan.Values{Out: ls}, Right: &plan.Values{Out: rs}, Kind: kind,
		LeftKeys: lk, RightKeys: rk, Lookup: lookup}
	switch kind {
	case plan.LeftSemi, plan.LeftAnti:
		n.Out = ls
	case plan.RightSemi, plan.RightAnti:
		n.Out = rs
	default:
		n.Out = append(column.Schema(nil), ls...)
		for i, f := range rs {
			if !lookup || !isIn(rk, i) {
				n.Out = append(n.Out, f)
			}
		}
	}
	return n
}

// runJoinTest runs the join and returns its rows formatted, checking each
// column's type against the output schema.
func runJoinTest(t *testing.T, n *plan.Join, left, right []*column.Batch, generic bool,
) []string {
	t.Helper()
	op := newJoinOp(n, &batchOp{batches: left}, &batchOp{batches: right}, generic)
	defer op.close()
	var rows []string
	for {
		b, err := op.next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			return rows
		}
		if len(b.Cols) != len(n.Out) {
			t.Fatalf("%d columns, want %d", len(b.Cols), len(n.Out))
		}
		for c, v := range b.Cols {
			if v.Type != n.Out[c].Type || v.Len() != b.N {
				t.Fatalf("column %d: %s of %d rows, want %s of %d", c, v.Type, v.Len(),
					n.Out[c].Type, b.N)
			}
		}
		for i := range b.N {
			rows = append(rows, formatJoinRow(b.Cols, i))
		}
	}
}

func formatJoinRow(cols []*column.Vector, i int) string {
	var sb strings.Builder
	for c, v := range cols {
		if c > 0 {
			sb.WriteString(" | ")
		}
		if x := v.Value(i); x == nil {
			sb.WriteString("<null>")
		} else {
			fmt.Fprintf(&sb, "%T:%s", x, types.Format(x))
		}
	}
	return sb.String()
}

// referenceJoin joins row by row, comparing keys by their formatted values,
// as Kusto defines each kind, in the order huntql has always given: left rows in order, each
// with its matches in right order, then the right rows the kind owes.
func referenceJoin(n *plan.Join, left, right []*column.Batch) []string {
	type row struct {
		b *column.Batch
		i int
	}
	var ls, rs []row
	for _, b := range left {
		for i := range b.N {
			ls = append(ls, row{b, i})
		}
	}
	for _, b := range right {
		for i := range b.N {
			rs = append(rs, row{b, i})
		}
	}
	key := func(r row, cols []int) (string, bool) {
		var sb strings.Builder
		for _, c := range cols {
			x := r.b.Cols[c].Value(r.i)
			if x == nil {
				return "", false
			}
			fmt.Fprintf(&sb, "%s\x00", types.Format(x))
		}
		return sb.String(), true
	}
	var lcols, rcols []*column.Vector
	for _, f := range n.Left.Schema() {
		lcols = append(lcols, column.Const(f.Type, nil, 1))
	}
	for i, f := range n.Right.Schema() {
		if !n.Lookup || !isIn(n.RightKeys, i) {
			rcols = append(rcols, column.Const(f.Type, nil, 1))
		}
	}
	pick := func(r row, cols []int) []*column.Vector {
		out := make([]*column.Vector, len(cols))
		for k, c := range cols {
			out[k] = r.b.Cols[c].Slice(r.i, r.i+1)
		}
		return out
	}
	var lall, rout []int
	for c := range n.Left.Schema() {
		lall = append(lall, c)
	}
	for i := range n.Right.Schema() {
		if !n.Lookup || !isIn(n.RightKeys, i) {
			rout = append(rout, i)
		}
	}
	var rall []int
	for i := range n.Right.Schema() {
		rall = append(rall, i)
	}
	emit := func(out *[]string, l []*column.Vector, r []*column.Vector) {
		*out = append(*out, formatJoinRow(append(append([]*column.Vector(nil), l...), r...), 0))
	}
	var out []string
	matched := make([]bool, len(rs))
	seen := map[string]bool{}
	byKey := map[string][]int{} // right rows by key, each list in order
	for j, r := range rs {
		if k, ok := key(r, n.RightKeys); ok {
			byKey[k] = append(byKey[k], j)
		}
	}
	for _, l := range ls {
		k, ok := key(l, n.LeftKeys)
		var hits []int
		if ok {
			hits = byKey[k]
		}
		switch n.Kind {
		case plan.InnerUnique:
			if !ok || seen[k] {
				continue
			}
			seen[k] = true
			for _, j := range hits {
				emit(&out, pick(l, lall), pick(rs[j], rout))
			}
		case plan.Inner, plan.LeftOuter, plan.RightOuter, plan.FullOuter:
			for _, j := range hits {
				matched[j] = true
				emit(&out, pick(l, lall), pick(rs[j], rout))
			}
			if len(hits) == 0 && (n.Kind == plan.LeftOuter || n.Kind == plan.FullOuter) {
				emit(&out, pick(l, lall), rcols)
			}
		case plan.LeftSemi, plan.LeftAnti:
			if (len(hits) > 0) == (n.Kind == plan.LeftSemi) {
				emit(&out, pick(l, lall), nil)
			}
		case plan.RightSemi, plan.RightAnti:
			for _, j := range hits {
				matched[j] = true
			}
		}
	}
	for j, r := range rs {
		switch {
		case (n.Kind == plan.RightOuter || n.Kind == plan.FullOuter) && !matched[j]:
			emit(&out, lcols, pick(r, rout))
		case n.Kind == plan.RightAnti && !matched[j], n.Kind == plan.RightSemi && matched[j]:
			emit(&out, pick(r, rall), nil)
		}
	}
	return out
}

// TestJoinKeyPaths joins random tables with every kind on keys of every
// specialized path and some generic ones, checking the specialized path,
// the generic path and a row-by-row reference against each other.
func TestJoinKeyPaths(t *testing.T) {
	S, L, I, D, T, B := types.String, types.Long, types.Int, types.Datetime, types.Timespan,
		types.Bool
	R, G, X, Y := types.Real, types.Guid, types.Decimal, types.Dynamic
	for _, tc := range []struct {
		name string
		keys []types.Type
		mode joinKeyMode
	}{
		{"string", []types.Type{S}, joinKeyStr},
		{"long", []types.Type{L}, joinKeyInt},
		{"int", []types.Type{I}, joinKeyInt},
		{"datetime", []types.Type{D}, joinKeyInt},
		{"timespan", []types.Type{T}, joinKeyInt},
		{"bool", []types.Type{B}, joinKeyInt},
		{"string+long", []types.Type{S, L}, joinKeyPair},
		{"long+string", []types.Type{L, S}, joinKeyPair},
		{"long+datetime", []types.Type{L, D}, joinKeyPair},
		{"string+string", []types.Type{S, S}, joinKeyPair},
		{"bool+int", []types.Type{B, I}, joinKeyPair},
		{"real", []types.Type{R}, joinKeyBytes},
		{"guid", []types.Type{G}, joinKeyBytes},
		{"decimal", []types.Type{X}, joinKeyBytes},
		{"dynamic", []types.Type{Y}, joinKeyBytes},
		{"string+real", []types.Type{S, R}, joinKeyBytes},
		{"string+long+int", []types.Type{S, L, I}, joinKeyBytes},
	} {
		if got := chooseJoinKeyMode(tc.keys); got != tc.mode {
			t.Errorf("%s: mode %d, want %d", tc.name, got, tc.mode)
		}
		// Left: keys, then a long row number; right: a string and the keys
		// in reverse order, then a long row number.
		var ls, rs column.Schema
		var lk, rk []int
		for i, kt := range tc.keys {
			ls = append(ls, column.Field{Name: fmt.Sprintf("K%d", i), Type: kt})
			lk = append(lk, i)
		}
		ls = append(ls, column.Field{Name: "A", Type: L})
		rs = append(rs, column.Field{Name: "Tag", Type: S})
		for i := len(tc.keys) - 1; i >= 0; i-- {
			rs = append(rs, column.Field{Name: fmt.Sprintf("R%d", i), Type: tc.keys[i]})
		}
		for i := range tc.keys {
			rk = append(rk, len(tc.keys)-i)
		}
		rs = append(rs, column.Field{Name: "B", Type: L})
		for seed := range uint64(8) {
			rng := rand.New(rand.NewPCG(seed, 99))
			left := joinTestBatches(rng, ls, rng.IntN(40))
			right := joinTestBatches(rng, rs, rng.IntN(40))
			numberRows(left, len(ls)-1)
			numberRows(right, len(rs)-1)
			for _, kind := range allJoinKinds {
				for _, lookup := range []bool{false, true} {
					if lookup && kind != plan.LeftOuter && kind != plan.Inner {
						continue
					}
					name := fmt.Sprintf("%s/seed%d/%s/lookup=%v", tc.name, seed, kind, lookup)
					n := joinTestPlan(kind, ls, rs, lk, rk, lookup)
					want := referenceJoin(n, left, right)
					fast := runJoinTest(t, n, left, right, false)
					generic := runJoinTest(t, n, left, right, true)
					if !reflect.DeepEqual(fast, want) {
						t.Errorf("%s: specialized path\n%s\nwant\n%s", name,
							strings.Join(fast, "\n"), strings.Join(want, "\n"))
					}
					if !reflect.DeepEqual(generic, want) {
						t.Errorf("%s: generic path\n%s\nwant\n%s", name,
							strings.Join(generic, "\n"), strings.Join(want, "\n"))
					}
				}
			}
		}
	}
}

// numberRows overwrites long column c with the rows' positions, so that
// every row is told apart in the output.
func numberRows(bs []*column.Batch, c int) {
	k := int64(0)
	for _, b := range bs {
		for i := range b.N {
			b.Cols[c].Int[i] = k
			k++
		}
		b.Cols[c].Nulls = nil
	}
}

// TestJoinBigOutputs runs outer joins whose tails exceed a batch, and a
// build side larger than the pair table's first size, on the specialized
// and generic paths.
func TestJoinBigOutputs(t *testing.T) {
	s := column.Schema{{Name: "K", Type: types.Long}, {Name: "V", Type: types.String}}
	mk := func(from, to int) []*column.Batch {
		b := column.NewBatch(s, to-from)
		for i := from; i < to; i++ {
			b.Cols[0].Append(int64(i))
			b.Cols[1].Append(fmt.Sprint(i))
			b.N++
		}
		return split(b)
	}
	left, right := mk(0, 5000), mk(2500, 2*column.BatchSize+2500)
	for _, kind := range allJoinKinds {
		n := joinTestPlan(kind, s, s, []int{0}, []int{0}, false)
		want := referenceJoin(n, left, right)
		for _, generic := range []bool{false, true} {
			got := runJoinTest(t, n, left, right, generic)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s generic=%v: %d rows, want %d", kind, generic, len(got), len(want))
			}
		}
	}
}

// TestPairTable checks the open-addressing table against a map.
func TestPairTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pt := newPairTable()
	m := map[[2]int64]int32{}
	for i := range 20000 {
		a, b := int64(rng.IntN(3000))<<rng.IntN(40), int64(rng.IntN(5))-2
		g, found := pt.getOrPut(a, b, int32(len(m)))
		want, ok := m[[2]int64{a, b}]
		if !ok {
			want = int32(len(m))
			m[[2]int64{a, b}] = want
		}
		if g != want || found != ok {
			t.Fatalf("step %d: getOrPut(%d, %d) = %d, %v; want %d, %v", i, a, b, g, found,
				want, ok)
		}
	}
	for k, g := range m {
		if got := pt.get(k[0], k[1]); got != g {
			t.Fatalf("get(%v) = %d, want %d", k, got, g)
		}
	}
	if got := pt.get(-1, 7); got != -1 {
		t.Fatalf("get of an absent pair = %d, want -1", got)
	}
}

// TestJoinSharedDictionary probes with batches whose string keys share one
// dictionary, as batches of one source may, so the ids looked up for the
// first batch serve the next ones.
func TestJoinSharedDictionary(t *testing.T) {
	s := column.Schema{{Name: "K", Type: types.String}, {Name: "K2", Type: types.String},
		{Name: "N", Type: types.Long}}
	dict := []string{"x", "", "y", "X", "z"}
	var left []*column.Batch
	for b := range 4 {
		batch := column.NewBatch(s, 8)
		var codes [2][]int32
		for i := range 8 {
			for k := range 2 {
				c := int32((i*(3+k) + b) % len(dict))
				batch.Cols[k].Append(dict[c])
				codes[k] = append(codes[k], c)
			}
			batch.Cols[2].Append(int64(b*8 + i))
			batch.N++
		}
		for k := range 2 {
			batch.Cols[k].Dict, batch.Cols[k].Codes = dict, codes[k]
		}
		left = append(left, batch)
	}
	rb := column.NewBatch(s, 4)
	for i, k := range []string{"y", "x", "", "y", "X"} {
		rb.Cols[0].Append(k)
		rb.Cols[1].Append(dict[i])
		rb.Cols[2].Append(int64(100 + i))
		rb.N++
	}
	right := []*column.Batch{rb}
	for _, keys := range [][]int{{0}, {0, 1}} {
		for _, kind := range allJoinKinds {
			n := joinTestPlan(kind, s, s, keys, keys, false)
			want := referenceJoin(n, left, right)
			got := runJoinTest(t, n, left, right, false)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s on %v:\n%s\nwant\n%s", kind, keys, strings.Join(got, "\n"),
					strings.Join(want, "\n"))
			}
			if kind == plan.Inner && len(want) == 0 {
				t.Errorf("inner on %v: no rows; the test needs matches", keys)
			}
		}
	}
}
