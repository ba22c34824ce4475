package syntax

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// corpusQuery is one query of the shared corpus with what Kusto thinks of it.
type corpusQuery struct {
	ID       string
	Query    string
	Accepted bool // Kusto.Language reported no errors
}

// sharedDir locates the shared reference folder: $HUNTQL_SHARED, else
// ../shared relative to the repository root.
func sharedDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv("HUNTQL_SHARED"); dir != "" {
		return dir
	}
	return filepath.Join("..", "..", "..", "shared")
}

// loadCorpus reads every query of shared/queries/*.jsonl and the docs
// cases; it returns nil when the shared folder is missing.
func loadCorpus(t testing.TB) []corpusQuery {
	t.Helper()
	dir := sharedDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "queries", "*.jsonl"))
	files = append(files, filepath.Join(dir, "conformance", "docs-cases.jsonl"))
	var out []corpusQuery
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var rec struct {
				ID     string `json:"id"`
				Query  string `json:"query"`
				Oracle struct {
					Errors  []json.RawMessage `json:"errors"`
					Crashed any               `json:"crashed"`
				} `json:"oracle"`
			}
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			out = append(out, corpusQuery{ID: rec.ID, Query: rec.Query,
				Accepted: len(rec.Oracle.Errors) == 0 && rec.Oracle.Crashed == nil})
		}
		f.Close()
	}
	return out
}

// minParseRate is the ratchet: the share of oracle-accepted corpus queries
// that must parse. Raise it as the parser improves; never lower it.
const minParseRate = 0.993

// TestCorpus parses every corpus query: none may panic, the oracle-accepted
// ones must parse at the ratchet rate, and each query that parses must
// print the same after a print-then-reparse round trip.
func TestCorpus(t *testing.T) {
	queries := loadCorpus(t)
	if len(queries) == 0 {
		t.Skip("shared corpus not found: set HUNTQL_SHARED or check out ../shared next to the repo")
	}
	accepted, parsed := 0, 0
	for _, q := range queries {
		script, err := Parse(NewSource(q.ID, q.Query))
		if q.Accepted {
			accepted++
			if err == nil {
				parsed++
			} else if testing.Verbose() {
				src := NewSource(q.ID, q.Query)
				t.Logf("%s", src.Format(err.(ErrorList)[0]))
			}
		}
		if err != nil {
			continue
		}
		first := Print(script)
		again, err := Parse(NewSource(q.ID+" (printed)", first))
		if err != nil {
			t.Errorf("%s: printed text does not parse: %v\n%s", q.ID, err, first)
			continue
		}
		if second := Print(again); second != first {
			t.Errorf("%s: round trip differs:\n--- first\n%s\n--- second\n%s", q.ID, first, second)
		}
	}
	rate := float64(parsed) / float64(max(accepted, 1))
	t.Logf("parse rate: %d/%d oracle-accepted queries (%.1f%%)", parsed, accepted, 100*rate)
	if rate < minParseRate {
		t.Errorf("parse rate %.3f fell below the ratchet %.3f", rate, minParseRate)
	}
}
