package huntql_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/huntql/huntql"
)

// corpusQuery is one record of ../shared/queries/*.jsonl.
type corpusQuery struct {
	ID     string   `json:"id"`
	Path   string   `json:"path"`
	Query  string   `json:"query"`
	Tables []string `json:"tables"`
	Oracle struct {
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
		Columns [][2]string `json:"columns"`
		Crashed string      `json:"crashed"`
	} `json:"oracle"`
}

func loadCorpus(t *testing.T) []corpusQuery {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(sharedDir(t), "queries", "*.jsonl"))
	if len(files) == 0 {
		t.Skip("no query corpus in the reference material")
	}
	var out []corpusQuery
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			var q corpusQuery
			if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if q.ID == "" {
				q.ID = filepath.Base(f) + ":" + q.Path
			}
			out = append(out, q)
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// minCorpusAgreement is the ratchet: the share of oracle-accepted corpus
// queries that huntql must accept with the oracle's exact result columns.
// Raise it as the language grows; never lower it.
const minCorpusAgreement = 0.99

// TestCorpusAgreesWithKustoAnalyzer type-checks every community query that
// Kusto's analyzer accepts and compares the inferred result columns (names
// and types) with the analyzer's.
func TestCorpusAgreesWithKustoAnalyzer(t *testing.T) {
	eng, err := huntql.New(huntql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	accepted, agreed := 0, 0
	reasons := map[string][]string{}
	for _, q := range loadCorpus(t) {
		if len(q.Oracle.Errors) > 0 || q.Oracle.Crashed != "" {
			continue
		}
		accepted++
		c, err := eng.Compile(q.ID, q.Query)
		if err != nil {
			msg := err.Error()
			if qe, ok := err.(*huntql.QueryError); ok {
				msg = qe.Diagnostics()[0].Msg
			}
			reasons[category(msg)] = append(reasons[category(msg)], q.ID+": "+msg)
			continue
		}
		var got [][2]string
		for _, col := range c.Columns() {
			got = append(got, [2]string{col.Name, col.Type.String()})
		}
		if fmt.Sprint(got) != fmt.Sprint(q.Oracle.Columns) {
			reasons["columns differ"] = append(reasons["columns differ"],
				fmt.Sprintf("%s:\n  got  %v\n  want %v", q.ID, got, q.Oracle.Columns))
			continue
		}
		agreed++
	}
	rate := float64(agreed) / float64(max(accepted, 1))
	t.Logf("corpus: %d/%d oracle-accepted queries accepted with the oracle's columns (%.1f%%)",
		agreed, accepted, 100*rate)
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(reasons[keys[i]]) > len(reasons[keys[j]]) })
	for _, k := range keys {
		t.Logf("%4d  %s", len(reasons[k]), k)
		if testing.Verbose() {
			for _, r := range reasons[k] {
				t.Logf("        %s", r)
			}
		}
	}
	if rate < minCorpusAgreement {
		t.Errorf("agreement %.3f fell below the ratchet %.3f", rate, minCorpusAgreement)
	}
}

// category groups a diagnostic by its wording without names.
func category(msg string) string {
	for _, prefix := range []string{"operator ", "unknown function ", "unknown column",
		"unknown table", "expected "} {
		if strings.HasPrefix(msg, prefix) {
			fields := strings.Fields(msg)
			if prefix == "operator " && len(fields) > 1 {
				return "operator " + fields[1] + " ..."
			}
			return prefix + "..."
		}
	}
	return msg
}

// defenderBuiltins are the functions Advanced Hunting and Sentinel provide
// beyond Kusto's language, which Kusto's analyzer does not know. An
// oracle-rejected query whose only errors name them is one huntql knowingly
// accepts.
var defenderBuiltins = []string{"FileProfile", "DeviceFromIP", "AssignedIPAddresses",
	"_GetWatchlist"}

// corpusKnownExtras are further oracle-rejected corpus queries that huntql
// knowingly accepts, each with the reason.
var corpusKnownExtras = map[string]string{
	"microsoft-Microsoft-365-Defender-Hunting-Queries#329": "count(x) of a non-bool counts " +
		"rows, as the summarize documentation's example shows Kusto doing",
	"microsoft-Microsoft-365-Defender-Hunting-Queries#336": "count(x) of a non-bool counts " +
		"rows, as the summarize documentation's example shows Kusto doing",
}

// builtinExtra returns the Defender built-in that the oracle's first error
// of q names, or "". The analyzer reports the call of a function it does not
// know first; its later errors are columns of that function's output, which
// it then cannot know.
func builtinExtra(q corpusQuery) string {
	if len(q.Oracle.Errors) == 0 {
		return ""
	}
	for _, b := range defenderBuiltins {
		if strings.Contains(q.Oracle.Errors[0].Message, "'"+b+"'") {
			return b
		}
	}
	return ""
}

// TestCorpusRejectsWhatKustoRejects checks the other side of agreement:
// every community query that Kusto's analyzer rejects must be rejected by
// huntql too, unless corpusKnownExtras explains why huntql accepts it.
func TestCorpusRejectsWhatKustoRejects(t *testing.T) {
	eng, err := huntql.New(huntql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rejected, agreed := 0, 0
	builtins := map[string]int{}
	for _, q := range loadCorpus(t) {
		if len(q.Oracle.Errors) == 0 || q.Oracle.Crashed != "" {
			continue
		}
		rejected++
		_, err := eng.Compile(q.ID, q.Query)
		reason, extra := corpusKnownExtras[q.ID]
		if b := builtinExtra(q); b != "" {
			reason, extra = "Defender built-in "+b, true
			builtins[b]++
		}
		switch {
		case err != nil && extra:
			t.Errorf("%s: listed as a known extra (%s) but huntql rejects it: %v", q.ID, reason, err)
		case err != nil || extra:
			agreed++
		default:
			t.Errorf("%s: Kusto's analyzer rejects it (%s) but huntql accepts it",
				q.ID, q.Oracle.Errors[0].Message)
		}
	}
	t.Logf("corpus: %d/%d oracle-rejected queries rejected too or listed as known extras "+
		"(Defender built-ins: %v; others: %d)", agreed, rejected, builtins, len(corpusKnownExtras))
}
