//go:build unix

package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The crash test runs ingest and compact in a child process (this test binary run
// again with crashChildEnv set) and kills it with SIGKILL at random moments.
const (
	crashChildEnv   = "HUNTQL_CRASH_CHILD_STORE"
	crashSourcesEnv = "HUNTQL_CRASH_CHILD_SOURCES"
	// crashSecondsEnv sets how long the crash test runs (default 15 s).
	crashSecondsEnv = "HUNTQL_CRASH_SECONDS"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		os.Exit(crashChild(dir, filepath.SplitList(os.Getenv(crashSourcesEnv))))
	}
	os.Exit(m.Run())
}

// crashChild ingests sources into dir in small commits, then compacts the
// small files they make, so that kills also fall within a compaction.
func crashChild(dir string, sources []string) int {
	w, err := OpenWriter(dir, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer w.Close()
	if _, err := w.Ingest(context.Background(), sources,
		IngestOptions{CommitBytes: 160 << 10}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, _, err := w.Compact(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// crashSources writes the crash test's inputs: JSON lines, the same events
// again as Event Hub messages (all repeats), a gzip file, a JSON array and
// a file with damaged lines.
func crashSources(t *testing.T) []string {
	root := t.TempDir()
	dirs := []string{filepath.Join(root, "lines"), filepath.Join(root, "hub"),
		filepath.Join(root, "gz"), filepath.Join(root, "array")}
	common := []string{"--devices", "8", "--rows", "700", "--span", "48h", "--tables",
		"DeviceNetworkEvents,DeviceInfo,DeviceNetworkInfo"}
	generate(t, dirs[0], append(common, "--format", "jsonl")...)
	generate(t, dirs[1], append(common, "--format", "eventhub")...)
	generate(t, dirs[2], append(common, "--format", "jsonl", "--gzip", "--batch", "1")...)
	generate(t, dirs[3], "--devices", "8", "--rows", "300", "--format", "json", "--seed", "7",
		"--tables", "DeviceNetworkEvents")
	bad := filepath.Join(root, "bad", "DeviceNetworkEvents.jsonl")
	os.MkdirAll(filepath.Dir(bad), 0o755)
	var b strings.Builder
	for i := range 200 {
		if i%17 == 0 {
			fmt.Fprintf(&b, "{\"Timestamp\": \"2025-05-08T01:00:%02dZ\", \"DeviceId\": \n", i%60)
			continue
		}
		fmt.Fprintf(&b, `{"Timestamp":"2025-05-08T01:%02d:%02dZ","DeviceId":"bad-%d",`+
			`"ReportId":%d,"ActionType":"ConnectionFailed","RemotePort":%d}`+"\n",
			i/60, i%60, i%5, i, 1000+i)
	}
	if err := os.WriteFile(bad, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return append(dirs, filepath.Dir(bad))
}

// storeRows returns every table's rows, and checks that none is repeated.
func storeRows(t *testing.T, dir string) map[string][]string {
	t.Helper()
	snap, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, table := range snap.Tables() {
		rows := rowsOf(t, snap, table)
		for i := 1; i < len(rows); i++ {
			if rows[i] == rows[i-1] {
				t.Fatalf("%s: row stored twice: %s", table, rows[i])
			}
		}
		out[table] = rows
	}
	return out
}

// quarantineLines returns the store's quarantined records, sorted.
func quarantineLines(t *testing.T, dir string) []string {
	out := quarantineText(t, dir)
	slices.Sort(out)
	return out
}

// quarantineText returns the store's quarantined records in the order of
// its quarantine files and their lines.
func quarantineText(t *testing.T, dir string) []string {
	t.Helper()
	snap, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, q := range snap.Manifest().Quarantine {
		f, err := os.Open(filepath.Join(dir, q.Path))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			out = append(out, sc.Text())
		}
		f.Close()
	}
	return out
}

func TestCrashAtRandomPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes for 15 s")
	}
	budget := 15 * time.Second
	if s := os.Getenv(crashSecondsEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("%s=%q: expected seconds", crashSecondsEnv, s)
		}
		budget = time.Duration(n) * time.Second
	}
	sources := crashSources(t)
	ref := t.TempDir()
	ingestAll(t, ref, sources...) // in one commit: the contents must not depend on commits
	want, wantQ := storeRows(t, ref), quarantineLines(t, ref)
	if len(wantQ) == 0 {
		t.Fatal("the sources should quarantine some records")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := func(dir string) *exec.Cmd {
		cmd := exec.Command(self, "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir,
			crashSourcesEnv+"="+strings.Join(sources, string(os.PathListSeparator)))
		return cmd
	}
	start := time.Now()
	if out, err := child(filepath.Join(t.TempDir(), "store")).CombinedOutput(); err != nil {
		t.Fatalf("ingest failed: %v\n%s", err, out)
	}
	clean := time.Since(start) // kills fall anywhere in such a run
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills, rounds := 0, 0
	// Run for the budget and at least minKills kills, within twice the
	// budget (a loaded machine makes each run slower).
	const minKills = 15
	deadline, limit := time.Now().Add(budget), time.Now().Add(2*budget)
	for rounds == 0 || time.Now().Before(deadline) ||
		kills < minKills && time.Now().Before(limit) {
		rounds++
		dir := filepath.Join(t.TempDir(), "store")
		for attempt := 0; ; attempt++ {
			cmd := child(dir)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			// Kill at a random moment of a clean run (several times a round
			// before letting one finish, so later kills hit resumed runs).
			// A resumed run has less left to do, so later kills come sooner.
			delay := time.Duration(rng.Int64N(int64(clean)/int64(attempt+1) + 1))
			if attempt >= 8 {
				delay = time.Hour
			}
			finished := false
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("round %d: ingest failed: %v\n%s", rounds, err, stderr.String())
				}
				finished = true
			case <-time.After(delay):
				_ = cmd.Process.Signal(syscall.SIGKILL)
				finished = <-done == nil // it may have finished first
			}
			if finished {
				break
			}
			kills++
			checkPartial(t, dir, want, wantQ)
		}
		got := storeRows(t, dir)
		for table, rows := range want {
			if !slices.Equal(got[table], rows) {
				t.Fatalf("round %d: %s holds %d rows, expected %d as a clean ingest", rounds,
					table, len(got[table]), len(rows))
			}
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: %d tables, expected %d", rounds, len(got), len(want))
		}
		if q := quarantineLines(t, dir); !slices.Equal(q, wantQ) {
			t.Fatalf("round %d: %d quarantined records, expected %d", rounds, len(q), len(wantQ))
		}
		snap, _ := Open(dir)
		for _, ti := range snap.Info().Tables {
			if ti.Files != ti.Days {
				t.Fatalf("round %d: %s has %d files over %d days after compacting", rounds,
					ti.Name, ti.Files, ti.Days)
			}
		}
	}
	t.Logf("%d rounds, %d kills (a clean ingest takes %s)", rounds, kills,
		clean.Round(time.Millisecond))
}

// checkPartial checks a store after a kill: it opens (unless the first
// commit never happened), queries succeed, and it holds only rows and
// quarantined records of a clean ingest, none twice.
func checkPartial(t *testing.T, dir string, want map[string][]string, wantQ []string) {
	t.Helper()
	if _, err := Open(dir); errors.Is(err, ErrNoStore) {
		return
	}
	for table, rows := range storeRows(t, dir) {
		for _, r := range rows {
			if _, ok := slices.BinarySearch(want[table], r); !ok {
				t.Fatalf("%s: after a kill, a row a clean ingest lacks: %s", table, r)
			}
		}
	}
	for _, q := range quarantineLines(t, dir) {
		if _, ok := slices.BinarySearch(wantQ, q); !ok {
			t.Fatalf("after a kill, a quarantined record a clean ingest lacks: %s", q)
		}
	}
}
