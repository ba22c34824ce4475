package huntql_test

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/huntql/huntql"
	"github.com/huntql/huntql/internal/types"
)

var updateConformance = flag.Bool("update-conformance", false,
	"rewrite testdata/conformance.pass with the ids of the passing conformance cases")

// conformancePassFile lists, sorted, the ids of the documentation examples
// the engine reproduces. It is a ratchet: a listed case that stops passing
// fails TestConformance.
const conformancePassFile = "testdata/conformance.pass"

// conformanceTimeout bounds one case, so that a runaway query cannot hang
// the suite. The slowest passing case (range(1, 1000000000) expanded to a
// million rows) takes about 2s on a loaded machine; the bound leaves room.
const conformanceTimeout = 30 * time.Second

// docCase is one record of ../shared/conformance/docs-cases.jsonl: a query
// from the Kusto documentation with the result table the page shows.
type docCase struct {
	ID            string     `json:"id"`
	Source        string     `json:"source"`
	Query         string     `json:"query"`
	Columns       []string   `json:"columns"`
	Rows          [][]string `json:"rows"`
	Truncated     bool       `json:"truncated"`
	SelfContained bool       `json:"self_contained"`
	Oracle        struct {
		Errors  []json.RawMessage `json:"errors"`
		Columns [][2]string       `json:"columns"`
	} `json:"oracle"`
}

// group names the documentation page a case comes from ("abs-function").
func (c docCase) group() string {
	return strings.TrimSuffix(filepath.Base(c.Source), ".md")
}

func loadDocCases(t *testing.T) []docCase {
	t.Helper()
	path := filepath.Join(sharedDir(t), "conformance", "docs-cases.jsonl")
	fh, err := os.Open(path)
	if err != nil {
		t.Skipf("no documentation cases at %s: %v", path, err)
	}
	defer fh.Close()
	var out []docCase
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var c docCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if c.SelfContained && !c.Truncated && !strings.HasPrefix(c.ID, "geo") {
			out = append(out, c)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestConformance runs the self-contained examples of the Kusto
// documentation and compares their results with the tables the pages show.
// Run with -v for the failures grouped by page, and with
// -update-conformance to rewrite the ratchet file.
func TestConformance(t *testing.T) {
	cases := loadDocCases(t)
	now := time.Date(2025, 5, 8, 0, 0, 0, 0, time.UTC)
	eng, err := huntql.New(huntql.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	listed := readPassFile(t)
	var passed []string
	failures := map[string][]string{}
	failed := 0
	for _, c := range cases {
		diff := runDocCase(eng, c)
		if diff == "" {
			passed = append(passed, c.ID)
			continue
		}
		failed++
		failures[c.group()] = append(failures[c.group()], c.ID+": "+diff)
		if listed[c.ID] && !*updateConformance {
			t.Errorf("regression: %s no longer passes: %s", c.ID, diff)
		}
	}
	sort.Strings(passed)

	groups := make([]string, 0, len(failures))
	for g := range failures {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool {
		a, b := failures[groups[i]], failures[groups[j]]
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return groups[i] < groups[j]
	})
	var b strings.Builder
	for _, g := range groups {
		fmt.Fprintf(&b, "%s (%d):\n", g, len(failures[g]))
		for _, f := range failures[g] {
			fmt.Fprintf(&b, "    %s\n", f)
		}
	}
	t.Logf("failures by page:\n%s", b.String())

	var unlisted []string
	for _, id := range passed {
		if !listed[id] {
			unlisted = append(unlisted, id)
		}
	}
	if len(unlisted) > 0 && !*updateConformance {
		t.Logf("passing but not in %s (run with -update-conformance):\n    %s",
			conformancePassFile, strings.Join(unlisted, "\n    "))
	}
	t.Logf("conformance: %d passed, %d failed (%.1f%%)", len(passed), failed,
		100*float64(len(passed))/float64(len(cases)))

	if *updateConformance {
		text := strings.Join(passed, "\n") + "\n"
		if err := os.WriteFile(conformancePassFile, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readPassFile(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	b, err := os.ReadFile(conformancePassFile)
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out[line] = true
		}
	}
	return out
}

// runDocCase runs one case and returns its first difference from the
// documented table, "" when it matches. A panic or a timeout is a
// difference.
func runDocCase(eng *huntql.Engine, c docCase) string {
	ctx, cancel := context.WithTimeout(context.Background(), conformanceTimeout)
	defer cancel()
	type outcome struct {
		res *huntql.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- outcome{err: fmt.Errorf("panic: %v", r)}
			}
		}()
		res, err := eng.Query(ctx, c.ID, c.Query)
		done <- outcome{res, err}
	}()
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
		return "timeout after " + conformanceTimeout.String()
	}
	if o.err != nil {
		msg := o.err.Error()
		var qe *huntql.QueryError
		if e, ok := o.err.(*huntql.QueryError); ok {
			qe = e
			d := qe.Diagnostics()[0]
			msg = fmt.Sprintf("%d:%d: %s", d.Line, d.Col, d.Msg)
		}
		return "error: " + compact(msg, 160)
	}
	return compareTable(c, o.res)
}

// orderedRE finds operators that make a result's row order defined;
// top-nested is not one of them.
var orderedRE = regexp.MustCompile(`(?i)\b(order\s+by|sort\s+by|top-hitters|top\s|serialize)`)

// compareTable returns the first difference between the engine's result and
// the documented table.
func compareTable(c docCase, res *huntql.Result) string {
	// A query of several statements yields several tables; a page shows
	// one of them, found by its column names.
	if len(res.Tables) > 1 {
		for _, t := range res.Tables {
			names := make([]string, len(t.Columns))
			for i, col := range t.Columns {
				names[i] = col.Name
			}
			want := make([]string, len(c.Columns))
			for i, name := range c.Columns {
				want[i] = strings.Trim(name, "`")
			}
			if strings.Join(names, ",") == strings.Join(want, ",") {
				res = &huntql.Result{Columns: t.Columns, Rows: t.Rows}
				break
			}
		}
	}
	got := make([]string, len(res.Columns))
	for i, col := range res.Columns {
		got[i] = col.Name
	}
	want := make([]string, len(c.Columns))
	for i, name := range c.Columns {
		want[i] = strings.Trim(name, "`")
	}
	// Some pages show columns renamed by hand; Kusto's analyzer tells the
	// names the query really yields.
	var oracle []string
	if len(c.Oracle.Errors) == 0 {
		for _, col := range c.Oracle.Columns {
			oracle = append(oracle, col[0])
		}
	}
	if names := strings.Join(got, ","); names != strings.Join(want, ",") &&
		(len(oracle) == 0 || names != strings.Join(oracle, ",")) {
		return fmt.Sprintf("columns: got [%s], want [%s]",
			compact(strings.Join(got, ","), 70), compact(strings.Join(c.Columns, ","), 70))
	}
	if emptyTableRow(c.Rows, len(res.Columns)) {
		c.Rows = nil
	}
	if len(res.Rows) != len(c.Rows) {
		return fmt.Sprintf("rows: got %d, want %d", len(res.Rows), len(c.Rows))
	}
	for i, want := range c.Rows {
		if len(want) != len(res.Columns) {
			return fmt.Sprintf("doc row %d has %d cells for %d columns", i, len(want),
				len(res.Columns))
		}
	}
	if orderedRE.MatchString(c.Query) {
		for i, want := range c.Rows {
			if j := rowDiff(res, res.Rows[i], want); j >= 0 {
				return cellDiff(res, i, j, want[j])
			}
		}
		return ""
	}
	// Unordered: match every documented row with a distinct result row.
	used := make([]bool, len(res.Rows))
	for i, want := range c.Rows {
		found := false
		for k, row := range res.Rows {
			if !used[k] && rowDiff(res, row, want) < 0 {
				used[k], found = true, true
				break
			}
		}
		if !found {
			// Report against the result row that matches the most cells.
			best, bestCol := -1, -1
			bestScore := -1
			for k, row := range res.Rows {
				if used[k] {
					continue
				}
				score := 0
				first := -1
				for j := range want {
					if cellEqual(res.Columns[j].Type, row[j], want[j]) {
						score++
					} else if first < 0 {
						first = j
					}
				}
				if score > bestScore {
					best, bestCol, bestScore = k, first, score
				}
			}
			if best < 0 {
				return fmt.Sprintf("doc row %d unmatched", i)
			}
			return fmt.Sprintf("doc row %d unmatched (unordered); closest %s", i,
				cellDiff(res, best, bestCol, want[bestCol]))
		}
	}
	return ""
}

// emptyTableRow reports whether rows is how a page draws a table with no
// rows: a single row of empty cells, fewer than the table has columns
// ("||" under a header of two). Such a row cannot stand for a row of
// values, which would have a cell per column.
func emptyTableRow(rows [][]string, columns int) bool {
	if len(rows) != 1 || len(rows[0]) >= columns {
		return false
	}
	for _, cell := range rows[0] {
		if cleanCell(cell) != "" {
			return false
		}
	}
	return true
}

func cellDiff(res *huntql.Result, row, col int, want string) string {
	c := res.Columns[col]
	return fmt.Sprintf("row %d %s:%s: got %q, want %q", row, c.Name, c.Type,
		compact(types.Format(res.Rows[row][col]), 60), compact(want, 60))
}

// rowDiff returns the first column where row differs from the documented
// cells, -1 when none does.
func rowDiff(res *huntql.Result, row []any, want []string) int {
	for j := range want {
		if !cellEqual(res.Columns[j].Type, row[j], want[j]) {
			return j
		}
	}
	return -1
}
