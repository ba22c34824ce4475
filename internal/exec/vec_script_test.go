package exec_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/huntql/huntql"
	"github.com/huntql/huntql/internal/exec"
	"github.com/huntql/huntql/internal/output"
)

// TestScriptsWithDictionaries runs every query of the engine scripts
// (testdata/scripts) with and without dictionary-encoded string columns
// and checks that both give the same result, row order included.
func TestScriptsWithDictionaries(t *testing.T) {
	root := filepath.Join("..", "..")
	files, _ := filepath.Glob(filepath.Join(root, "testdata", "scripts", "*.txt"))
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/scripts")
	}
	defer exec.SetTestEncodeDicts(false)
	now := time.Date(2025, 5, 8, 0, 0, 0, 0, time.UTC)
	cases := 0
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		opts := huntql.Options{Now: now}
		queries := splitScript(string(text), func(dir string) {
			opts.Data = []string{filepath.Join(root, dir)}
		})
		eng, err := huntql.New(opts)
		if err != nil {
			t.Fatal(err)
		}
		for name, q := range queries {
			exec.SetTestEncodeDicts(false)
			plain := render(eng, q)
			exec.SetTestEncodeDicts(true)
			dict := render(eng, q)
			cases++
			if plain != dict {
				t.Errorf("%s/%s:\n%s\nwithout dictionaries:\n%s\nwith:\n%s",
					filepath.Base(file), name, q, plain, dict)
			}
		}
	}
	if cases < 100 {
		t.Fatalf("only %d queries ran", cases)
	}
}

// splitScript returns a script's queries by case name, calling data with
// the directory of a "# data: DIR" preamble line.
func splitScript(text string, data func(dir string)) map[string]string {
	out := map[string]string{}
	name, inQuery := "", false
	var q strings.Builder
	flush := func() {
		if name != "" {
			out[name] = q.String()
		}
		q.Reset()
	}
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "=== "):
			flush()
			name, inQuery = strings.Fields(line)[1], true
		case name == "":
			if dir, ok := strings.CutPrefix(line, "# data:"); ok {
				data(strings.TrimSpace(dir))
			}
		case line == "---" && inQuery:
			inQuery = false
		case inQuery:
			q.WriteString(line + "\n")
		}
	}
	flush()
	return out
}

// render returns a query's result tables as CSV, or its error.
func render(eng *huntql.Engine, query string) string {
	res, err := eng.Query(context.Background(), "<script>", query)
	if err != nil {
		return "error: " + err.Error()
	}
	var sb strings.Builder
	for _, tab := range res.Tables {
		fmt.Fprintf(&sb, "# %s %v\n", tab.Name, tab.Columns)
		one := &huntql.Result{Columns: tab.Columns, Rows: tab.Rows}
		if err := output.Write(&sb, "csv", one.Schema(), tab.Rows); err != nil {
			return "error: " + err.Error()
		}
	}
	if len(res.Tables) == 0 {
		fmt.Fprintf(&sb, "%v\n", res.Columns)
		if err := output.Write(&sb, "csv", res.Schema(), res.Rows); err != nil {
			return "error: " + err.Error()
		}
	}
	return sb.String()
}
