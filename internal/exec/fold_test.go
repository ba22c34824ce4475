package exec

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// foldBatches makes batches of testSchema whose string columns K, S and
// Url take few values and are dictionary-encoded in most batches, so that
// folded summarizes fold most batches and leave the others.
func foldBatches(rng *rand.Rand, rows int) []*column.Batch {
	keys := []string{"alpha", "beta", "gamma", "", "Alpha"}
	fields := []string{`{"a":1}`, `{"b":"x","c":2}`, `[1,2]`, ``, `{"a":1,"d":null}`, `7`}
	urls := []string{"https://a.example.com/x", "b.example.com", "http://c.example.com:8080/y"}
	var out []*column.Batch
	for rows > 0 {
		n := min(rows, 1+rng.IntN(5000))
		if rng.IntN(4) == 0 {
			n = min(rows, 1+rng.IntN(100))
		}
		rows -= n
		b := column.NewBatch(testSchema, n)
		dict := rng.IntN(4) != 0
		var kc, sc, uc []int32
		for range n {
			k, s, u := rng.IntN(len(keys)), rng.IntN(len(fields)), rng.IntN(len(urls))
			kc, sc, uc = append(kc, int32(k)), append(sc, int32(s)), append(uc, int32(u))
			b.Cols[0].Append(keys[k])
			b.Cols[1].Append(fields[s])
			if rng.IntN(10) == 0 {
				b.Cols[2].Append(nil)
			} else {
				b.Cols[2].Append(int64(rng.IntN(20) - 5))
			}
			b.Cols[3].Append(int32(rng.IntN(4)))
			b.Cols[4].Append(types.Date(rng.Int64N(1 << 40)))
			b.Cols[5].Append(float64(rng.IntN(10)) / 2)
			b.Cols[6].Append(rng.IntN(2) == 0)
			b.Cols[7].Append(nil)
			b.Cols[8].Append(urls[u])
			b.N++
		}
		if dict {
			b.Cols[0].Dict, b.Cols[0].Codes = keys, kc
			b.Cols[1].Dict, b.Cols[1].Codes = fields, sc
			b.Cols[8].Dict, b.Cols[8].Codes = urls, uc
		}
		out = append(out, b)
	}
	return out
}

// foldQueries are summarizes over chains that fold, or nearly do.
var foldQueries = []string{
	`T | where isnotempty(S) | mv-expand Field = parse_json(S)
		| extend Key = tostring(bag_keys(Field)[0]) | extend Value = tostring(Field[Key])
		| summarize Rows = count() by K, Key, Value`,
	`T | where K != "beta" | extend Up = toupper(K)
		| summarize count(), dcount(S), min(S), max(Url), dcountif(Url, strlen(S) > 3) by Up`,
	`T | extend Host = case(Url contains "//", tostring(parse_url(Url).Host), Url)
		| where Host in ("a.example.com", "b.example.com")
		| summarize n = count(), Last = max(K) by Host`,
	`T | project K, S | mv-expand x = parse_json(S) | summarize count(), minif(K, K != "")
		by tostring(x)`,
	`T | extend n = strlen(S) | summarize count(), max(n)`,
	`T | where K == "nope" | extend n = strlen(S) | summarize count() by n`,
	// Not folded: an aggregate that weighs rows, an item index, a column
	// that is not dictionary-encoded.
	`T | extend n = strlen(S) | summarize sum(n), count() by K`,
	`T | mv-expand with_itemindex=i x = parse_json(S) | summarize count() by K, i`,
	`T | extend n = strlen(S) | summarize count() by K, L`,
}

func TestFoldedSummarizeMatchesSequential(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 3))
	for _, rows := range []int{0, 70, 30000} {
		src := &memSource{batches: foldBatches(rng, rows)}
		for _, q := range foldQueries {
			want, err := runPlan(t, q, src, 1, true)
			if err != nil {
				t.Fatalf("%d rows, one worker: %s: %v", rows, q, err)
			}
			before := testFolded.Load()
			for _, in := range []Source{src, splitSource{src, 3}} {
				got, err := runPlan(t, q, in, 2, true)
				if err != nil {
					t.Fatalf("%d rows, two workers: %s: %v", rows, q, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%d rows: %s:\ngot  %d rows %.300v\nwant %d rows %.300v",
						rows, q, len(got), got, len(want), want)
				}
			}
			if rows == 30000 && testFolded.Load() == before && !notFolded(q) {
				t.Errorf("%s: no batch was folded", q)
			}
		}
	}
}

// notFolded reports whether q is one of the foldQueries that must not fold.
func notFolded(q string) bool {
	i := len(foldQueries) - 3
	for _, x := range foldQueries[i:] {
		if x == q {
			return true
		}
	}
	return false
}

func TestFoldedSummarizeLeavesOtherQueriesAlone(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 4))
	src := &memSource{batches: foldBatches(rng, 30000)}
	for _, q := range foldQueries[len(foldQueries)-3:] {
		before := testFolded.Load()
		if _, err := runPlan(t, q, src, 2, true); err != nil {
			t.Fatal(err)
		}
		if testFolded.Load() != before {
			t.Errorf("%s: folded", q)
		}
	}
}
