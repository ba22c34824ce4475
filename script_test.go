package huntql_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/huntql/huntql"
	"github.com/huntql/huntql/internal/output"
)

var update = flag.Bool("update", false, "rewrite the expected results of testdata/scripts")

// TestScripts runs the engine scripts in testdata/scripts. Each file holds
// cases of the form
//
//	=== name [unordered]
//	<query lines>
//	---
//	<expected result as CSV with a name:type header, or "error: <message>">
//
// Queries are self-contained (datatable, print, range) and run with now()
// pinned to 2025-05-08T00:00:00Z, unless the file's preamble (the lines
// before the first case) holds a line "# data: DIR", which loads the
// telemetry under DIR (relative to the repository root). Run with -update to rewrite the
// expectations from the engine's output, then review the diff.
func TestScripts(t *testing.T) {
	files, _ := filepath.Glob("testdata/scripts/*.txt")
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/scripts")
	}
	now := time.Date(2025, 5, 8, 0, 0, 0, 0, time.UTC)
	eng, err := huntql.New(huntql.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		preamble, cases := parseScript(t, file)
		eng := eng
		if dir := dataDirective(preamble); dir != "" {
			eng, err = huntql.New(huntql.Options{Now: now, Data: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
		}
		changed := false
		for _, c := range cases {
			t.Run(filepath.Base(file)+"/"+c.name, func(t *testing.T) {
				got := runCase(eng, c.query)
				if c.unordered {
					got = sortLines(got)
				}
				want := c.want
				if c.unordered {
					want = sortLines(want)
				}
				if got != want {
					if *update {
						c.want = got
						changed = true
						return
					}
					t.Errorf("query:\n%s\ngot:\n%s\nwant:\n%s", c.query, got, want)
				}
			})
		}
		if changed {
			writeScript(t, file, preamble, cases)
		}
	}
}

type scriptCase struct {
	name      string
	unordered bool
	query     string
	want      string
}

// dataDirective returns the DIR of a "# data: DIR" preamble line, or "".
func dataDirective(preamble string) string {
	for _, line := range strings.Split(preamble, "\n") {
		if dir, ok := strings.CutPrefix(line, "# data:"); ok {
			return strings.TrimSpace(dir)
		}
	}
	return ""
}

func parseScript(t *testing.T, file string) (string, []*scriptCase) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var cases []*scriptCase
	var cur *scriptCase
	var preamble strings.Builder
	inWant := false
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "=== "):
			fields := strings.Fields(strings.TrimPrefix(line, "=== "))
			cur = &scriptCase{name: fields[0]}
			for _, f := range fields[1:] {
				cur.unordered = cur.unordered || f == "unordered"
			}
			cases = append(cases, cur)
			inWant = false
		case cur == nil:
			preamble.WriteString(line + "\n") // comments and directives
		case line == "---" && !inWant:
			inWant = true
		case inWant:
			cur.want += line + "\n"
		default:
			cur.query += line + "\n"
		}
	}
	for _, c := range cases {
		c.want = strings.TrimRight(c.want, "\n")
		c.query = strings.TrimRight(c.query, "\n")
	}
	return preamble.String(), cases
}

func writeScript(t *testing.T, file, preamble string, cases []*scriptCase) {
	t.Helper()
	var b strings.Builder
	b.WriteString(preamble)
	for i, c := range cases {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("=== " + c.name)
		if c.unordered {
			b.WriteString(" unordered")
		}
		b.WriteString("\n" + c.query + "\n---\n" + c.want + "\n")
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runCase renders a query's result as CSV with a name:type header, or its
// error as "error: <first message>".
func runCase(eng *huntql.Engine, query string) string {
	res, err := eng.Query(context.Background(), "<script>", query)
	if err != nil {
		var qe *huntql.QueryError
		if e, ok := err.(*huntql.QueryError); ok {
			qe = e
			d := qe.Diagnostics()[0]
			return "error: " + d.Msg
		}
		return "error: " + err.Error()
	}
	if len(res.Tables) > 1 {
		// fork and facet: every table under a "# name" line.
		var parts []string
		for _, t := range res.Tables {
			one := &huntql.Result{Columns: t.Columns, Rows: t.Rows}
			parts = append(parts, "# "+t.Name+"\n"+tableCSV(one))
		}
		return strings.Join(parts, "\n")
	}
	return tableCSV(res)
}

// tableCSV renders one result table as CSV with a name:type header.
func tableCSV(res *huntql.Result) string {
	var sb strings.Builder
	if err := output.Write(&sb, "csv", res.Schema(), res.Rows); err != nil {
		return "error: " + err.Error()
	}
	lines := strings.SplitN(strings.ReplaceAll(sb.String(), "\r\n", "\n"), "\n", 2)
	header := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		header[i] = c.Name + ":" + c.Type.String()
	}
	out := strings.Join(header, ",")
	if len(lines) == 2 {
		out += "\n" + lines[1]
	}
	return strings.TrimRight(out, "\n")
}

// sortLines sorts all lines but the first (the header).
func sortLines(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) > 1 {
		body := lines[1:]
		sort.Strings(body)
	}
	return strings.Join(lines, "\n")
}
