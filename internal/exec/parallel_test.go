package exec

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/sema"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// testSchema is the table the parallel tests read: few distinct keys so
// that groups and ties repeat across batches, nulls, and a string column
// that is dictionary-encoded in some batches.
var testSchema = column.Schema{
	{Name: "K", Type: types.String},
	{Name: "S", Type: types.String},
	{Name: "L", Type: types.Long},
	{Name: "I", Type: types.Int},
	{Name: "D", Type: types.Datetime},
	{Name: "R", Type: types.Real},
	{Name: "B", Type: types.Bool},
	{Name: "Dyn", Type: types.Dynamic},
	{Name: "Url", Type: types.String},
}

// memSource serves testSchema's rows as batches of the given sizes.
type memSource struct {
	batches []*column.Batch
	reads   atomic.Int64 // batches handed out
	failAt  int          // when > 0, the batch at which Read fails
}

var errTestRead = errors.New("test read failure")

func (s *memSource) Read(ctx context.Context, table string, cols []string,
	fn func(*column.Batch) error,
) error {
	for i, b := range s.batches {
		if s.failAt > 0 && i == s.failAt {
			return errTestRead
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		out := &column.Batch{N: b.N}
		for _, c := range cols {
			out.Cols = append(out.Cols, b.Cols[testSchema.Index(c)])
		}
		s.reads.Add(1)
		if err := fn(out); err != nil {
			return err
		}
	}
	return nil
}

// splitSource is a memSource that splits its table into parts of up to
// per batches.
type splitSource struct {
	*memSource
	per int
}

func (s splitSource) Split(ctx context.Context, table string, cols []string, codes []bool,
	bounds []plan.Bound,
) ([]Part, bool, error) {
	var parts []Part
	for lo := 0; lo < len(s.batches); lo += s.per {
		sub := &memSource{batches: s.batches[lo:min(lo+s.per, len(s.batches))]}
		parts = append(parts, func(ctx context.Context, fn func(*column.Batch) error) error {
			return sub.Read(ctx, table, cols, func(b *column.Batch) error {
				return fn(codesOnly(b, codes))
			})
		})
	}
	return parts, true, nil
}

// codesOnly returns b with the dictionary-encoded columns that codes marks
// as codes-only vectors, as the store returns them.
func codesOnly(b *column.Batch, codes []bool) *column.Batch {
	if codes == nil {
		return b
	}
	out := &column.Batch{N: b.N, Cols: slices.Clone(b.Cols)}
	for i, v := range b.Cols {
		if codes[i] && v.Codes != nil {
			out.Cols[i] = &column.Vector{Type: v.Type, Dict: v.Dict, Codes: v.Codes}
		}
	}
	return out
}

type memCatalog struct{}

func (memCatalog) Table(name string) (column.Schema, bool) {
	return testSchema, name == "T"
}

func (memCatalog) Tables() []string { return []string{"T"} }

// genBatches makes rows batches of random sizes (1 to 600 rows).
func genBatches(rng *rand.Rand, rows int) []*column.Batch {
	keys := []string{"alpha", "beta", "gamma", "delta", "", "Alpha"}
	urls := []string{"https://a.example.com/x", "b.example.com", "http://c.example.com:8080/y",
		"https://a.example.com/z"}
	base := int64(types.DateFromTime(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)))
	var out []*column.Batch
	for rows > 0 {
		n := min(rows, 1+rng.IntN(600))
		rows -= n
		b := column.NewBatch(testSchema, n)
		dict := rng.IntN(2) == 0
		var codes []int32
		for range n {
			k := rng.IntN(len(keys))
			codes = append(codes, int32(k))
			b.Cols[0].Append(keys[k])
			b.Cols[1].Append(fmt.Sprintf("s%d", rng.IntN(50)))
			if rng.IntN(10) == 0 {
				b.Cols[2].Append(nil)
			} else {
				b.Cols[2].Append(int64(rng.IntN(20) - 5))
			}
			b.Cols[3].Append(int32(rng.IntN(4)))
			if rng.IntN(20) == 0 {
				b.Cols[4].Append(nil)
			} else {
				b.Cols[4].Append(types.Date(base + rng.Int64N(3*24*3600*10_000_000)))
			}
			switch rng.IntN(8) {
			case 0:
				b.Cols[5].Append(nil)
			case 1:
				b.Cols[5].Append(0.0)
			default:
				b.Cols[5].Append(float64(rng.IntN(10)) / 2)
			}
			if rng.IntN(7) == 0 {
				b.Cols[6].Append(nil)
			} else {
				b.Cols[6].Append(rng.IntN(2) == 0)
			}
			switch rng.IntN(4) {
			case 0:
				b.Cols[7].Append(nil)
			case 1:
				b.Cols[7].Append(int64(rng.IntN(3)))
			case 2:
				b.Cols[7].Append(keys[rng.IntN(3)])
			default:
				b.Cols[7].Append([]any{int64(rng.IntN(3)), "x"})
			}
			b.Cols[8].Append(urls[rng.IntN(len(urls))])
			b.N++
		}
		if dict {
			b.Cols[0].Dict, b.Cols[0].Codes = keys, codes
		}
		out = append(out, b)
	}
	return out
}

// runQuery analyzes and runs query over src with the given worker count.
func runQuery(t *testing.T, query string, src Source, workers int) ([][]any, error) {
	t.Helper()
	return runPlan(t, query, src, workers, false)
}

// runPlan is runQuery, first pruning the plan as the facade does when prune
// is set (scans then read only the columns needed).
func runPlan(t *testing.T, query string, src Source, workers int, prune bool) ([][]any, error) {
	t.Helper()
	script, err := syntax.Parse(syntax.NewSource("q", query))
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	q, err := sema.Analyze(script, memCatalog{})
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	n := q.Result()
	if prune {
		n = plan.Prune(n)
	}
	tab, err := Run(context.Background(), n,
		Options{Source: src, Context: &functions.Context{}, Workers: workers})
	if err != nil {
		return nil, err
	}
	var rows [][]any
	for _, b := range tab.Batches {
		for i := range b.N {
			row := make([]any, len(b.Cols))
			for c, v := range b.Cols {
				row[c] = v.Value(i)
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// parallelQueries run with one and with several workers must give the same
// rows in the same order.
var parallelQueries = []string{
	`T | summarize count() by K`,
	`T | summarize count() by bin(D, 1h), K`,
	`T | summarize count() by L`,
	`T | summarize count() by K, L`,
	`T | summarize count() by I, bin(D, 1d)`,
	`T | summarize count() by K, L, B`,
	`T | summarize count() by R`,
	`T | summarize count() by tostring(Dyn)`,
	`T | summarize count(), dcount(S), sum(L), sum(I), avg(L), avg(I), min(R), max(S), min(D),
		countif(B), sumif(L, B), maxif(L, B), minif(S, B), avgif(L, B), dcountif(S, B)
		by K`,
	`T | summarize arg_max(L, S, D), arg_min(R, K, L), take_any(S, R), take_anyif(S, B) by K`,
	`T | summarize arg_max(D, *) by L`,
	`T | summarize make_set(L), make_list(S), make_set_if(S, B), make_list_if(L, B),
		make_set(S, 3), make_list(L, 5) by K`,
	`T | summarize percentile(L, 50), percentiles(R, 10, 90), binary_all_xor(L) by K`,
	`T | summarize hll(S), make_list_with_nulls(L) by K, I`,
	`T | summarize count(), sum(L), arg_max(R, S)`,
	`T | where L > 100 | summarize count(), sum(L), make_list(S)`,
	`T | where L > 3 | extend Up = toupper(K) | summarize count(), arg_min(L, S) by Up`,
	`T | where isnotempty(Url) | extend Host = case(Url contains "//",
		tostring(parse_url(Url).Host), Url) | where Host in ("a.example.com", "b.example.com")
		| summarize (Last, Who) = arg_max(D, S), n = count(), m = dcount(K) by Host
		| order by m desc`,
	// Not mergeable: sequential aggregation over the parallel chain.
	`T | where B | summarize avg(R), sum(R), stdev(L), make_bag(pack("k", K)) by K`,
	`T | summarize make_set(L, L), make_set(Dyn) by K`,
	`T | where L > 2 and K != "beta"`,
	`T | extend x = strcat(K, "-", S), y = L * 2 | project x, y, R`,
	`T | where S matches regex "s[1-3]+" | project S, K`,
	`T | parse S with "s" n:long | where n > 10 | project K, n`,
	`T | where L > 0 | take 7`,
	`T`,
	`T | mv-expand Dyn | summarize count(), make_list(S) by tostring(Dyn)`,
	`T | extend A = pack_array(L, I, K) | mv-expand with_itemindex=x A | project x, A, K`,
	`T | top 9 by L desc`,
	`T | where L > 3 | join kind=inner (T | where L < -3 | project K, S, L2 = L) on K, S
		| summarize count(), make_list(L2) by K, S`,
	`T | where L > 0 | join kind=inner (T | where L < 0 | distinct K, I) on K`,
	`T | join kind=leftouter (T | where L > 5 | summarize c = count() by K, S) on K, S
		| project K, S, c, L`,
	`T | join kind=leftsemi (T | where L > 8 | distinct S) on S | project S, L, D`,
	`T | join kind=leftanti (T | where L > 8 | distinct S) on S | summarize count() by K`,
	`T | join kind=inner (T | where L > 8 | distinct L, R2 = R) on L
		| summarize count(), min(R2), max(D) by K`,
	`T | join kind=inner (T | where L > 8 | distinct Url, I) on Url
		| extend h = tostring(parse_url(Url).Host) | where L > 2 | summarize count() by h`,
	`T | join (T | where L > 8 | project K, S2 = S) on K | summarize count() by K, S2`,
	`T | join kind=rightouter (T | where L > 8 | distinct S) on S | count`,
	`T | lookup (T | where L > 8 | summarize m = max(L) by K) on K | summarize count() by m`,
	`T | join kind=inner (T | distinct K, I) on K | join kind=leftsemi (T | where B
		| distinct S) on S | summarize count(), arg_max(L, S) by K`,
	`T | where L > 0 | summarize count() by K | order by K asc`,
	`T | extend r = rand() | summarize count() by K`,
}

func TestParallelMatchesSequential(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	for _, rows := range []int{0, 1, 50, 20000} {
		src := &memSource{batches: genBatches(rng, rows)}
		for _, q := range parallelQueries {
			want, err := runQuery(t, q, src, 1)
			if err != nil {
				t.Fatalf("%d rows, one worker: %s: %v", rows, q, err)
			}
			for _, workers := range []int{2, 3, 4, 8} {
				var in Source = src
				switch workers {
				case 3:
					in = splitSource{src, 3}
				case 4:
					aggUnitRows = 700 // partial tables of a few batches each
				case 8:
					in = splitSource{src, 100} // parts of more than streamBatches outputs
				}
				got, err := runQuery(t, q, in, workers)
				aggUnitRows = 8 * column.BatchSize
				if err != nil {
					t.Fatalf("%d rows, %d workers: %s: %v", rows, workers, q, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%d rows, %d workers: %s:\ngot  %d rows %.300v\nwant %d rows %.300v",
						rows, workers, q, len(got), got, len(want), want)
				}
			}
		}
	}
}

// TestParallelPlans checks which queries run in parallel.
func TestParallelPlans(t *testing.T) {
	tests := []struct {
		query    string
		parallel bool
	}{
		{`T | summarize count() by K`, true},
		{`T | where L > 1 | extend x = L + 1 | summarize sum(x) by K`, true},
		{`T | where L > 1 | project K`, true},
		{`T | summarize sum(R) by K`, false},            // a real sum depends on order
		{`T | summarize make_bag(pack("k", K))`, false}, // make_bag has no merge
		{`T | summarize make_set(L, L) by K`, false},    // maxSize per row
		{`T | summarize stdev(L)`, false},
		{`T | extend r = rand()`, false},
		{`T | where assert(L > -100, "x")`, false},
		{`T | where K in ((T | where L > 10 | project K))`, false},
		{`T | serialize | extend n = row_number()`, false},
		{`T | join kind=inner (T | distinct K) on K`, true},
		{`T | join kind=leftouter (T | distinct K) on K | summarize count() by K`, true},
		{`T | join kind=leftanti (T | distinct K) on K | where L > 1`, true},
		{`T | join (T | distinct K) on K`, false}, // innerunique: a key's first row
		{`T | join kind=rightouter (T | distinct K) on K`, false},
	}
	for _, tc := range tests {
		script, err := syntax.Parse(syntax.NewSource("q", tc.query))
		if err != nil {
			t.Fatal(err)
		}
		q, err := sema.Analyze(script, memCatalog{})
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		r := newRunner(context.Background(), Options{Workers: 4, Source: &memSource{}})
		op, err := r.build(q.Result())
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		got := isParallel(op)
		op.close()
		if got != tc.parallel {
			t.Errorf("%s: parallel %v, want %v", tc.query, got, tc.parallel)
		}
	}
}

// isParallel reports whether op is, or reads through cancelable wrappers, a
// parallel operator.
func isParallel(op operator) bool {
	for {
		switch o := op.(type) {
		case *parallelOp:
			return true
		case *aggregateOp:
			return o.par != nil
		case cancelable:
			op = o.operator
		default:
			return false
		}
	}
}

// TestParallelErrors checks that a read failure and a cancellation end a
// parallel run with their error, and that an early end (take) stops the
// workers.
func TestParallelErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	batches := genBatches(rng, 30000)
	for _, q := range []string{`T | where L > 1 | project K`, `T | summarize count() by K`} {
		src := &memSource{batches: batches, failAt: 20}
		if _, err := runQuery(t, q, src, 4); !errors.Is(err, errTestRead) {
			t.Errorf("%s: error %v, want %v", q, err, errTestRead)
		}
	}
	src := &memSource{batches: batches}
	rows, err := runQuery(t, `T | where L > 1 | take 3`, src, 4)
	if err != nil || len(rows) != 3 {
		t.Fatalf("take 3: %d rows, %v", len(rows), err)
	}
	if n := src.reads.Load(); n > 40 {
		t.Errorf("take 3 read %d of %d batches", n, len(batches))
	}

	rows, err = runQuery(t, `T | project K | take 3`, splitSource{&memSource{batches: batches},
		200}, 4)
	if err != nil || len(rows) != 3 {
		t.Fatalf("take 3 over parts: %d rows, %v", len(rows), err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	script, _ := syntax.Parse(syntax.NewSource("q", `T | summarize count() by K`))
	q, _ := sema.Analyze(script, memCatalog{})
	cancelling := &cancelSource{memSource: memSource{batches: batches}, cancel: cancel, at: 5}
	_, err = Run(ctx, q.Result(), Options{Source: cancelling, Workers: 4})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: error %v, want %v", err, context.Canceled)
	}
}

// cancelSource cancels the query after handing out at batches.
type cancelSource struct {
	memSource
	cancel func()
	at     int64
}

func (s *cancelSource) Read(ctx context.Context, table string, cols []string,
	fn func(*column.Batch) error,
) error {
	return s.memSource.Read(ctx, table, cols, func(b *column.Batch) error {
		if s.reads.Load() == s.at {
			s.cancel()
		}
		return fn(b)
	})
}

// TestGroupersAgree checks the specialized groupers against the generic
// one: the same group numbers for the same rows, nulls included.
func TestGroupersAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	batches := genBatches(rng, 5000)
	for _, cols := range [][]int{{0}, {1}, {2}, {3}, {4}, {0, 2}, {2, 0}, {4, 1}, {3, 2}} {
		var kt []types.Type
		for _, c := range cols {
			kt = append(kt, testSchema[c].Type)
		}
		g := newGrouper(kt)
		if _, generic := g.(*bytesGrouper); generic {
			t.Fatalf("columns %v: no specialized grouper", cols)
		}
		ref := &bytesGrouper{m: map[string]int32{}}
		for _, b := range batches {
			keys := make([]*column.Vector, len(cols))
			for k, c := range cols {
				keys[k] = b.Cols[c]
			}
			got, want := make([]int32, b.N), make([]int32, b.N)
			g.assign(keys, b.N, got)
			ref.assign(keys, b.N, want)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("columns %v: groups %v, want %v", cols, got[:10], want[:10])
			}
		}
		if g.size() != ref.size() {
			t.Errorf("columns %v: %d groups, want %d", cols, g.size(), ref.size())
		}
	}
}

// TestGroupersSharedDictionaries checks the string groupers over small
// batches that share dictionaries much larger than themselves (as a
// filter leaves them), alternating between dictionaries, one of them a
// prefix of another's storage, against the generic grouper.
func TestGroupersSharedDictionaries(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	all := make([]string, 3000)
	for i := range all {
		all[i] = fmt.Sprintf("v%d", rng.IntN(2500))
	}
	dicts := [][]string{all[:1000], all[:1000:1000], all[:2000], all[1000:]}
	for _, kt := range [][]types.Type{{types.String}, {types.String, types.String},
		{types.Long, types.String}} {
		g, ref := newGrouper(kt), &bytesGrouper{m: map[string]int32{}}
		for k := 0; k < 400; k++ {
			n := 1 + rng.IntN(40)
			keys := make([]*column.Vector, len(kt))
			for c, t := range kt {
				v := column.New(t, n)
				if t == types.Long {
					for range n {
						v.Append(int64(rng.IntN(3)))
					}
					keys[c] = v
					continue
				}
				d := dicts[(k/7+c)%len(dicts)]
				for range n {
					code := int32(rng.IntN(len(d)))
					v.Codes = append(v.Codes, code)
					v.Str = append(v.Str, d[code])
				}
				v.Dict = d
				keys[c] = v
			}
			got, want := make([]int32, n), make([]int32, n)
			g.assign(keys, n, got)
			ref.assign(keys, n, want)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%v, batch %d: groups %v, want %v", kt, k, got, want)
			}
		}
		if g.size() != ref.size() {
			t.Errorf("%v: %d groups, want %d", kt, g.size(), ref.size())
		}
	}
}
