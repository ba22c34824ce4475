package huntql_test

import (
	"context"
	"testing"

	"github.com/huntql/huntql"
)

// TestResultTablesAndRender checks the public shape of several-table
// results (fork, facet) and of render.
func TestResultTablesAndRender(t *testing.T) {
	eng, err := huntql.New(huntql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	res, err := eng.Query(ctx, "q", "range x from 1 to 4 step 1 | fork Odd=(where x % 2 == 1) (count)")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tables) != 2 || res.Tables[0].Name != "Odd" || res.Tables[1].Name != "GenericResult2" {
		t.Fatalf("tables = %+v, want Odd and GenericResult2", res.Tables)
	}
	if len(res.Rows) != 2 || res.Columns[0].Name != "x" {
		t.Errorf("Columns/Rows = %v %v, want the first table (x: 1, 3)", res.Columns, res.Rows)
	}
	if got := res.Tables[1].Rows[0][0]; got != int64(4) {
		t.Errorf("count = %v, want 4", got)
	}
	if res.Render != nil {
		t.Errorf("Render = %v, want nil without render", res.Render)
	}

	res, err = eng.Query(ctx, "q", `print x=1 | render barchart with (title="T", ycolumns=x, y)`)
	if err != nil {
		t.Fatal(err)
	}
	if res.Render == nil || res.Render.String() != "barchart (title=T, ycolumns=x, y)" {
		t.Errorf("Render = %v, want barchart (title=T, ycolumns=x, y)", res.Render)
	}
	if len(res.Tables) != 1 || res.Tables[0].Name != "PrimaryResult" || len(res.Rows) != 1 {
		t.Errorf("tables = %+v, want one PrimaryResult row", res.Tables)
	}
}

// TestUnionIsFuzzyWarns checks that the legs union isfuzzy=true leaves out
// are reported as warnings, as Kusto reports them in the query status.
func TestUnionIsFuzzyWarns(t *testing.T) {
	eng, err := huntql.New(huntql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Query(context.Background(), "q", `let View_1 = view () { print x=1 };
union isfuzzy=true View_1, (View_3 | where x > 0), SomeView* | count`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"union: failed to resolve entity: unknown table View_3; did you mean View_1?",
		"union: failed to resolve entity 'SomeView*'",
	}
	if len(res.Warnings) != 2 || res.Warnings[0] != want[0] || res.Warnings[1] != want[1] {
		t.Errorf("warnings = %q, want %q", res.Warnings, want)
	}
	if got := res.Rows[0][0]; got != int64(1) {
		t.Errorf("count = %v, want 1", got)
	}
}
