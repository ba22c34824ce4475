package exec

import (
	"slices"
	"testing"

	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/sema"
	"github.com/huntql/huntql/internal/syntax"
)

func TestCodesOnlyColumnsAreThoseUsedByCode(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  []string // the scan's columns read as codes alone
	}{
		{`T | summarize count() by K`, []string{"K"}},
		{`T | summarize dcount(S), count() by K, L`, []string{"K", "S"}},
		{`T | where L > 3 | distinct K, S`, []string{"K", "S"}},
		{`T | where K != "beta" | summarize count() by S`, []string{"S"}},
		{`T | summarize max(S) by K`, []string{"K"}},
		{`T | summarize count() by toupper(K)`, nil},
		{`T | extend x = K | summarize count() by x`, nil},
		{`T | summarize dcountif(K, B) by S`, []string{"S"}},
		{`T | join kind=inner (T | distinct K, I) on K | summarize count() by S`,
			[]string{"K", "S"}},
	} {
		script, err := syntax.Parse(syntax.NewSource("q", tc.query))
		if err != nil {
			t.Fatal(err)
		}
		q, err := sema.Analyze(script, memCatalog{})
		if err != nil {
			t.Fatal(err)
		}
		agg, ok := plan.Prune(q.Result()).(*plan.Aggregate)
		if !ok {
			t.Fatalf("%s: no summarize at the top", tc.query)
		}
		nodes, scan, ok := streamChain(agg.Input)
		if !ok {
			t.Fatalf("%s: not a chain", tc.query)
		}
		var got []string
		for i, b := range codesOnlyColumns(agg, nodes, scan) {
			if b {
				got = append(got, scan.Columns[i].Name)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: codes-only %v, expected %v", tc.query, got, tc.want)
		}
	}
}
