package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huntql/huntql/internal/store"
)

func TestIngestAndQueryStore(t *testing.T) {
	t.Setenv("HUNTQL_STORE", "")
	st := filepath.Join(t.TempDir(), "store")
	examples := filepath.Join("..", "..", "examples")
	steps := []struct {
		name           string
		stdin          string
		args           []string
		code           int
		stdout, stderr string // substrings expected
	}{
		{name: "no store", args: []string{"ingest", examples}, code: exitFailure,
			stderr: "no store; pass --store DIR or set HUNTQL_STORE"},
		{name: "ingest", args: []string{"ingest", "--store", st, examples},
			stderr: "ingested 3 files (0 unchanged) into " + st + ": read 2600, stored 2600, " +
				"duplicate 0, quarantined 0 records"},
		{name: "again", args: []string{"ingest", "--store", st, examples},
			stderr: "ingested 3 files (3 unchanged)"},
		{name: "stdin", stdin: `{"Timestamp":"2025-05-07T10:00:00Z","DeviceId":"d1",` +
			`"ReportId":1,"DeviceName":"x"}` + "\n" + "not json\n",
			args:   []string{"ingest", "--store", st, "--table", "DeviceInfo", "-"},
			stderr: "read 2, stored 1, duplicate 0, quarantined 1 records"},
		{name: "stdin without a table", stdin: `{"Timestamp":"2025-05-07T10:00:00Z"}` + "\n",
			args: []string{"ingest", "--store", st, "-"},
			stderr: "the 1 quarantined records are in " + filepath.Join(st, "quarantine") +
				"; the first in 00000003.jsonl: the rows name no table"},
		{name: "query", args: []string{"query", "--store", st, "--stats", "--now",
			"2025-05-08T02:00:00Z", "--format", "csv",
			"DeviceNetworkEvents | where Timestamp > ago(2h) | count"},
			stdout: "Count\r\n300\r\n", stderr: "store: read 1 of 2 files"},
		{name: "hunt", args: []string{"hunt", "--store", st, "--now", "2025-05-08T02:00:00Z",
			"connectivity-failures-by-domain"}, stderr: "rows"},
		{name: "check", args: []string{"check", "--store", st, "DeviceInfo | project DeviceName"},
			stdout: "DeviceName:string"},
		{name: "info", args: []string{"store", "info", "--store", st},
			stdout: "DeviceNetworkEvents  2300"},
		{name: "compact", args: []string{"store", "compact", "--store", st},
			stdout: "compacted 2 files into 1"},
		{name: "prune", args: []string{"store", "prune", "--store", st, "--older-than", "1d"},
			stdout: "pruned 3 files (2601 rows)"},
		{name: "store given as data", args: []string{"query", "--data", st, "DeviceInfo | count"},
			code: exitFailure, stderr: st + " is a store made by huntql ingest, not telemetry " +
				"files; read it with --store " + st},
		{name: "store given as a source", args: []string{"ingest", "--store", st + "2", st},
			code: exitFailure, stderr: st + " is a store made by huntql ingest"},
		{name: "bad age", args: []string{"store", "prune", "--store", st, "--older-than", "x"},
			code: exitFailure, stderr: "not a positive timespan"},
		{name: "zero interval", args: []string{"ingest", "--store", st, "--follow",
			"--interval", "0s", examples}, code: exitFailure,
			stderr: "--interval 0s is not positive"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, s.stdin, s.args...)
			if code != s.code || !strings.Contains(out, s.stdout) ||
				!strings.Contains(errOut, s.stderr) {
				t.Errorf("exit %d (expected %d)\nstdout: %s\nstderr: %s\nexpected %q and %q",
					code, s.code, out, errOut, s.stdout, s.stderr)
			}
		})
	}
}

func TestStoreMaintenanceNeedsAStore(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "mistyped")
	for _, args := range [][]string{
		{"store", "compact", "--store", missing},
		{"store", "prune", "--older-than", "1d", "--store", missing},
		{"store", "info", "--store", missing},
		{"store", "infos", "--store", missing},
	} {
		out, errOut, code := runCLI(t, "", args...)
		if code != exitFailure || out != "" || !strings.Contains(errOut, "no store in "+missing) &&
			!strings.Contains(errOut, `unknown command "infos" for huntql store`) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; expected exit 1 and no store named",
				args, code, out, errOut)
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Fatalf("%v created %s (stat: %v)", args, missing, err)
		}
	}
}

func TestIngestRefusesALockedStore(t *testing.T) {
	st := t.TempDir()
	w, err := store.OpenWriter(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, errOut, code := runCLI(t, "", "ingest", "--store", st, filepath.Join("..", "..",
		"examples"))
	if code != exitFailure || !strings.Contains(errOut, "store is locked by another writer") ||
		!strings.Contains(errOut, "pid") {
		t.Errorf("exit %d, stderr %q; expected the lock's holder named", code, errOut)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func TestIngestFollowPicksUpNewAndGrownFiles(t *testing.T) {
	src, st := t.TempDir(), filepath.Join(t.TempDir(), "store")
	line := func(i int) string {
		return fmt.Sprintf(`{"Timestamp":"2025-05-07T10:00:%02dZ","DeviceId":"d","ReportId":%d,`+
			`"ActionType":"ConnectionSuccess"}`+"\n", i%60, i)
	}
	grown := filepath.Join(src, "DeviceNetworkEvents.jsonl")
	if err := os.WriteFile(grown, []byte(line(1)+line(2)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	root := newRoot(strings.NewReader(""), io.Discard, &stderr)
	root.SetArgs([]string{"ingest", "--follow", "--interval", "50ms", "--store", st, src})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	count := func() int64 {
		snap, err := store.Open(st)
		if err != nil {
			return 0
		}
		var n int64
		for _, ti := range snap.Info().Tables {
			n += ti.Rows
		}
		return n
	}
	waitFor := func(n int64) {
		for deadline := time.Now().Add(10 * time.Second); count() < n; {
			if time.Now().After(deadline) {
				t.Fatalf("the store holds %d rows, expected %d", count(), n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor(2)
	f, err := os.OpenFile(grown, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(line(3))
	f.Close()
	more := filepath.Join(src, "more", "DeviceNetworkEvents.jsonl")
	if err := os.MkdirAll(filepath.Dir(more), 0o755); err != nil {
		t.Fatal(err)
	}
	// A new file, with line 1 again: a repeat.
	if err := os.WriteFile(more, []byte(line(4)+line(1)), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(4)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("follow ended with %v", err)
	}
	stderr.mu.Lock()
	defer stderr.mu.Unlock()
	if n := count(); n != 4 || !strings.Contains(stderr.b.String(), "duplicate 1") {
		t.Errorf("%d rows; stderr:\n%s\nexpected 4 rows and one duplicate", n, stderr.b.String())
	}
}

// TestIngestStdinIsSniffed guards against stdin being read as JSON lines
// whatever it holds: a CSV stream was quarantined as one record. It also
// checks the summary names stdin and a line left for the next run.
func TestIngestStdinIsSniffed(t *testing.T) {
	t.Setenv("HUNTQL_STORE", "")
	csv, errOut, code := runCLI(t, "", "generate", "--out", "-", "--tables", "DeviceInfo",
		"--devices", "50", "--format", "csv")
	if code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errOut)
	}
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "DeviceInfo.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	rows := strings.Count(csv, "\n") - 1
	st := filepath.Join(t.TempDir(), "store")
	cut := filepath.Join(t.TempDir(), "DeviceNetworkEvents.jsonl")
	if err := os.WriteFile(cut, []byte(`{"Timestamp":"2025-05-07T10:00:00Z","DeviceId":"d",`+
		`"ReportId":1}`+"\n"+`{"Timestamp":"2025-05-07T10:`), 0o644); err != nil {
		t.Fatal(err)
	}
	query := "DeviceInfo | summarize count(), dcount(DeviceId), max(Timestamp), " +
		"countif(IsAzureADJoined)"
	want, _, _ := runCLI(t, "", "query", "--data", src, "--format", "csv", query)
	steps := []struct {
		name           string
		stdin          string
		args           []string
		code           int
		stdout, stderr string // substrings expected
	}{
		{name: "csv on stdin", stdin: csv, args: []string{"ingest", "--store", st, "--table",
			"DeviceInfo", "-"}, stderr: fmt.Sprintf("ingested stdin into %s: read %d, "+
			"stored %d, duplicate 0, quarantined 0 records", st, rows, rows)},
		{name: "as --data reads it", args: []string{"query", "--store", st, "--format", "csv",
			query}, stdout: want},
		{name: "format said", stdin: csv, args: []string{"ingest", "--store", st, "--table",
			"DeviceInfo", "--format", "csv", "-"},
			stderr: fmt.Sprintf("read %d, stored 0, duplicate %d", rows, rows)},
		{name: "unknown format", stdin: csv, args: []string{"ingest", "--store", st,
			"--format", "parquet", "-"}, code: exitFailure,
			stderr: `--format: unknown format "parquet"; expected one of auto, json, csv, avro`},
		{name: "a file and stdin, a cut line", stdin: "", args: []string{"ingest", "--store",
			st, cut, "-"}, stderr: "ingested 1 files (0 unchanged) and stdin into " + st +
			": read 1, stored 1, duplicate 0, quarantined 0 records; 0.0 MB read in"},
		{name: "the cut line is named", args: []string{"ingest", "--store",
			filepath.Join(t.TempDir(), "store"), cut},
			stderr: "1 incomplete last line left for the next run"},
		{name: "help", args: []string{"ingest", "--help"}, stdout: "--format format"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, s.stdin, s.args...)
			if code != s.code || !strings.Contains(out, s.stdout) ||
				!strings.Contains(errOut, s.stderr) {
				t.Errorf("exit %d (expected %d)\nstdout: %s\nstderr: %s\nexpected %q and %q",
					code, s.code, out, errOut, s.stdout, s.stderr)
			}
		})
	}
	if !strings.Contains(want, "\n"+fmt.Sprint(rows)+",") {
		t.Errorf("--data counts %q, expected %d rows", want, rows)
	}
}
