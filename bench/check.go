package bench

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ApproxTolerance is the relative difference allowed between huntql's
// dcount and DuckDB's exact count(DISTINCT). Kusto documents dcount at its
// default accuracy as a HyperLogLog whose relative error has a standard
// deviation of 0.8%, 99.7% of estimates within three of them, and exact up
// to 1000 values. (DuckDB's own approx_count_distinct is far coarser: 17%
// off for 956 devices, so the SQL counts exactly.)
const ApproxTolerance = 0.024

// Mismatch is a difference between a target's result and the reference's.
type Mismatch struct {
	Query     string
	Target    Target
	Reference Target
	// Detail says what differs, with an example row.
	Detail string
}

func (m Mismatch) String() string {
	return fmt.Sprintf("%s: %s differs from %s: %s", m.Query, m.Target, m.Reference, m.Detail)
}

// Check compares every result with the reference result of its query:
// DuckDB's over its own table where that ran, else the first that ran. Rows
// are compared as multisets, dcount columns within [ApproxTolerance], and
// the sort column of an ordered query is checked to be non-increasing. A
// target whose runs gave different results is reported against itself.
func Check(results []*Result) []Mismatch {
	var out []Mismatch
	byQuery := map[string][]*Result{}
	var names []string
	for _, r := range results {
		if _, ok := byQuery[r.Query.Name]; !ok {
			names = append(names, r.Query.Name)
		}
		byQuery[r.Query.Name] = append(byQuery[r.Query.Name], r)
	}
	for _, name := range names {
		rs := byQuery[name]
		var ref *Result
		for _, r := range rs {
			if r.Output != nil && (ref == nil || r.Target == Target{DuckDB, Native}) {
				ref = r
			}
		}
		if ref == nil {
			continue
		}
		for _, r := range rs {
			if r.Output == nil {
				continue
			}
			if d := orderProblem(r.Query, r.Output); d != "" {
				out = append(out, Mismatch{name, r.Target, r.Target, d})
			}
			if r.Changed != "" {
				out = append(out, Mismatch{name, r.Target, r.Target, r.Changed})
			}
			if r == ref {
				continue
			}
			if d := compareTables(r.Query, ref.Output, r.Output); d != "" {
				out = append(out, Mismatch{name, r.Target, ref.Target, d})
			}
		}
	}
	return out
}

// compareTables returns "" when got has the rows of want, else what differs.
func compareTables(q Query, want, got [][]string) string {
	if len(want) == 0 || len(got) == 0 {
		return "no header"
	}
	if !equalStrings(want[0], got[0]) {
		return fmt.Sprintf("columns %s, want %s", strings.Join(got[0], ","),
			strings.Join(want[0], ","))
	}
	approx := approxColumns(q, want[0])
	w, g := keyed(want[1:], approx), keyed(got[1:], approx)
	if len(w) != len(g) {
		return fmt.Sprintf("%d rows, want %d%s", len(g), len(w), firstMissing(w, g, want[0]))
	}
	for i := range w {
		if w[i].key != g[i].key {
			return fmt.Sprintf("row %s, want %s", show(want[0], g[i].row), show(want[0], w[i].row))
		}
		for _, c := range approx {
			if !within(w[i].row[c], g[i].row[c]) {
				return fmt.Sprintf("%s = %s, want %s within %.0f%% in row %s", want[0][c],
					g[i].row[c], w[i].row[c], ApproxTolerance*100, show(want[0], w[i].row))
			}
		}
	}
	return ""
}

type keyedRow struct {
	key string
	row []string
}

// keyed canonicalizes rows and sorts them by their exact cells (all but the
// approx columns).
func keyed(rows [][]string, approx []int) []keyedRow {
	out := make([]keyedRow, len(rows))
	for i, r := range rows {
		c := make([]string, len(r))
		var k []string
		for j, s := range r {
			c[j] = canonical(s)
			if !contains(approx, j) {
				k = append(k, c[j])
			}
		}
		out[i] = keyedRow{strings.Join(k, "\x00"), c}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// firstMissing names one row of want that got lacks, or of got that want lacks.
func firstMissing(w, g []keyedRow, header []string) string {
	in := func(rows []keyedRow) map[string]int {
		m := map[string]int{}
		for _, r := range rows {
			m[r.key]++
		}
		return m
	}
	wm, gm := in(w), in(g)
	for _, r := range w {
		if gm[r.key] < wm[r.key] {
			return "; missing " + show(header, r.row)
		}
	}
	for _, r := range g {
		if wm[r.key] < gm[r.key] {
			return "; extra " + show(header, r.row)
		}
	}
	return ""
}

// orderProblem checks that the sort column of an ordered query never increases.
func orderProblem(q Query, t [][]string) string {
	if q.Ordered == "" || len(t) == 0 {
		return ""
	}
	c := index(t[0], q.Ordered)
	if c < 0 {
		return "no column " + q.Ordered + " to check the order by"
	}
	for i := 2; i < len(t); i++ {
		a, errA := strconv.ParseFloat(t[i-1][c], 64)
		b, errB := strconv.ParseFloat(t[i][c], 64)
		if errA == nil && errB == nil && b > a {
			return fmt.Sprintf("not ordered by %s desc at row %d (%s after %s)", q.Ordered,
				i, t[i][c], t[i-1][c])
		}
	}
	return ""
}

// canonical returns the form of a cell that two engines agree on: a
// datetime at 100 ns in UTC, anything else as printed.
func canonical(s string) string {
	if len(s) >= 20 && s[4] == '-' && s[10] == 'T' {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC().Format(kustoTime)
		}
	}
	return s
}

// within reports whether two dcount estimates agree within ApproxTolerance.
func within(a, b string) bool {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA != nil || errB != nil {
		return a == b
	}
	return math.Abs(x-y) <= ApproxTolerance*math.Max(x, y)
}

func approxColumns(q Query, header []string) []int {
	var out []int
	for _, name := range q.Approx {
		if i := index(header, name); i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

func show(header, row []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range row {
		if i > 0 {
			b.WriteString(", ")
		}
		if i < len(header) {
			b.WriteString(header[i] + ": ")
		}
		b.WriteString(strconv.Quote(v))
	}
	b.WriteByte('}')
	return b.String()
}

// parseCSV reads a CSV result table, header first.
func parseCSV(b []byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if recs == nil {
		recs = [][]string{}
	}
	return recs, nil
}

func index(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
