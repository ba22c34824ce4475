package store

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/huntql/huntql/internal/gen"
	"github.com/huntql/huntql/internal/types"
)

// generate writes synthetic telemetry into dir with the generator's flags.
func generate(t testing.TB, dir string, args ...string) {
	t.Helper()
	var stderr bytes.Buffer
	if code := gen.Main(append([]string{"--out", dir}, args...), io.Discard, &stderr); code != 0 {
		t.Fatalf("generate %v: %s", args, stderr.String())
	}
}

func TestReingestAddsNothing(t *testing.T) {
	src := t.TempDir()
	generate(t, src, "--devices", "20", "--rows", "3000", "--format", "jsonl")
	dir := t.TempDir()
	first := ingestAll(t, dir, src)
	if first.Stored == 0 || first.Stored != first.Read {
		t.Fatalf("first ingest %+v: expected every record stored", first)
	}
	m1, _ := os.ReadFile(filepath.Join(dir, manifestName))
	again := ingestAll(t, dir, src)
	if again.Read != 0 || again.Unchanged != again.Files {
		t.Errorf("re-ingest %+v: expected every file unchanged", again)
	}
	m2, _ := os.ReadFile(filepath.Join(dir, manifestName))
	if !bytes.Equal(m1, m2) {
		t.Errorf("re-ingest changed the manifest")
	}
	sameContents(t, dir, src)
}

func TestOverlappingSourcesStoreEachRecordOnce(t *testing.T) {
	// The same fleet and events as JSON lines and as Event Hub messages,
	// plus a copy of one file: every record of the second and third is a
	// repeat of the first.
	lines, hub := t.TempDir(), t.TempDir()
	args := []string{"--devices", "10", "--rows", "2000", "--tables",
		"DeviceNetworkEvents,DeviceInfo,DeviceNetworkInfo"}
	generate(t, lines, append(args, "--format", "jsonl")...)
	generate(t, hub, append(args, "--format", "eventhub")...)
	cp := filepath.Join(t.TempDir(), "DeviceNetworkEvents.jsonl")
	data, err := os.ReadFile(filepath.Join(lines, "DeviceNetworkEvents.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	one := ingestAll(t, dir, lines)
	two := ingestAll(t, dir, hub, cp)
	if two.Stored != 0 || two.Duplicate != two.Read || two.Read != one.Read+2000 {
		t.Errorf("second ingest %+v: expected all %d records duplicates", two, one.Read+2000)
	}
	sameContents(t, dir, lines)
}

func TestGrownFileAddsOnlyNewLines(t *testing.T) {
	src := t.TempDir()
	generate(t, src, "--devices", "5", "--rows", "1000", "--tables", "DeviceNetworkEvents")
	path := filepath.Join(src, "DeviceNetworkEvents.jsonl")
	data, _ := os.ReadFile(path)
	cut := bytes.IndexByte(data[len(data)/2:], '\n') + len(data)/2 + 1
	// The first half, then a partial line that is still being written.
	if err := os.WriteFile(path, data[:cut+10], 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	first := ingestAll(t, dir, src)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	second := ingestAll(t, dir, src)
	if first.Read+second.Read != 1000 || second.Duplicate != 0 || second.Read == 0 {
		t.Errorf("read %d then %d records (%d duplicates); expected 1000 in all, none repeated",
			first.Read, second.Read, second.Duplicate)
	}
	sameContents(t, dir, src)
}

func TestCorruptRecordsGoToQuarantine(t *testing.T) {
	src := t.TempDir()
	good := `{"Timestamp":"2025-05-07T10:00:00Z","DeviceId":"d1","ReportId":1,` +
		`"ActionType":"ConnectionSuccess","RemotePort":443}`
	text := strings.Join([]string{
		good,
		`{"Timestamp":"2025-05-07T10:00:01Z","DeviceId":"d1","ReportId":2,"RemotePort":`, // cut
		`{"Timestamp":"not a time","DeviceId":"d1","ReportId":3}`,                        // bad value
		`[1, 2]`, // two values that are not rows
		`{"Timestamp":"2025-05-07T10:00:02Z","DeviceId":"d1","ReportId":4,"RemotePort":"x"}`,
		`{"Timestamp":"1500-01-01T00:00:00Z","DeviceId":"d1","ReportId":5}`, // out of range
		good, // a repeat
		`{"Timestamp":"2025-05-07T10:00:03Z","DeviceId":"d1","ReportId":6}`,
	}, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(src, "DeviceNetworkEvents.jsonl"), []byte(text),
		0o644); err != nil {
		t.Fatal(err)
	}
	hub := `{"records":[{"category":"AdvancedHunting-DeviceInfo","properties":` +
		`{"Timestamp":"2025-05-07T10:00:00Z","DeviceId":"d1","ReportId":9}},` +
		`{"category":7,"properties":{}},{"properties":{"DeviceId":"x"}}]}` + "\n"
	if err := os.WriteFile(filepath.Join(src, "hub.json"), []byte(hub), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum := ingestAll(t, dir, src)
	want := Summary{Read: 12, Stored: 3, Duplicate: 1, Quarantined: 8}
	if sum.Read != want.Read || sum.Stored != want.Stored || sum.Duplicate != want.Duplicate ||
		sum.Quarantined != want.Quarantined {
		t.Errorf("summary %+v, expected read 12 = stored 3 + duplicate 1 + quarantined 8", sum)
	}
	snap, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []quarantined
	for _, q := range snap.Manifest().Quarantine {
		f, err := os.Open(filepath.Join(dir, q.Path))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var e quarantined
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatal(err)
			}
			got = append(got, e)
		}
		f.Close()
	}
	if len(got) != 8 {
		t.Fatalf("quarantine holds %d records, expected 8: %+v", len(got), got)
	}
	for _, e := range got {
		if e.Source == "" || e.Reason == "" || e.Raw == "" || e.Line == 0 {
			t.Errorf("quarantined %+v: expected source, line, reason and raw text", e)
		}
	}
	if !strings.Contains(got[0].Reason, ":2:") {
		t.Errorf("first fault %q: expected it positioned at line 2", got[0].Reason)
	}
	again := ingestAll(t, dir, src)
	if again.Read != 0 {
		t.Errorf("re-ingest read %d records; expected none", again.Read)
	}
}

func TestSecondWriterIsRefusedNamingTheHolder(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, err = OpenWriter(dir, nil)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid") {
		t.Fatalf("second writer: %v; expected ErrLocked naming the holder's pid", err)
	}
	if _, err := Open(dir); err != nil {
		t.Errorf("a reader must open a locked store: %v", err)
	}
}

func TestLeftoversAreRemoved(t *testing.T) {
	src := kqlbenchDir(t)
	dir := t.TempDir()
	ingestAll(t, dir, filepath.Join(src, "DeviceInfo.json"))
	stray := []string{
		filepath.Join(dir, "DeviceInfo", "day=2025-05-07", "00000009-000.parquet"),
		filepath.Join(dir, "DeviceInfo", "day=2025-05-07", "x.parquet.tmp"),
		filepath.Join(dir, "manifest.json.tmp"),
		filepath.Join(dir, quarantineDir, "00000009.jsonl"),
	}
	for _, p := range stray {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	for _, p := range stray {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s: a leftover, expected it removed", p)
		}
	}
	sameContents(t, dir, filepath.Join(src, "DeviceInfo.json"))
}

func TestCompactAndPrune(t *testing.T) {
	src := t.TempDir()
	generate(t, src, "--devices", "10", "--rows", "2000", "--span", "72h")
	dir := t.TempDir()
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// Small commits make many small files, as --follow does.
	if _, err := w.Ingest(context.Background(), []string{src},
		IngestOptions{CommitBytes: 256 << 10}); err != nil {
		t.Fatal(err)
	}
	before := len(w.Manifest().Tables["DeviceNetworkEvents"].Files)
	replaced, written, err := w.Compact()
	if err != nil {
		t.Fatal(err)
	}
	after := len(w.Manifest().Tables["DeviceNetworkEvents"].Files)
	if replaced == 0 || after >= before || after != 3 {
		t.Errorf("compact replaced %d files with %d; DeviceNetworkEvents went from %d to %d "+
			"files, expected one a day (3)", replaced, written, before, after)
	}
	sameContents(t, dir, src)
	again, err := w.Ingest(context.Background(), []string{src}, IngestOptions{})
	if err != nil || again.Read != 0 {
		t.Errorf("ingest after compact read %d (%v); expected nothing", again.Read, err)
	}
	cutoff := types.DateFromTime(gen.DefaultStart.AddDate(0, 0, 2))
	files, rows, err := w.Prune(cutoff)
	if err != nil || files == 0 || rows == 0 {
		t.Fatalf("prune: %d files, %d rows, %v; expected the first two days dropped", files,
			rows, err)
	}
	snap, _ := Open(dir)
	for _, ti := range snap.Info().Tables {
		if ti.MinTime < cutoff-types.Date(24*36_000_000_000) {
			t.Errorf("%s: rows from %s remain after pruning before %s", ti.Name, ti.MinTime,
				cutoff)
		}
	}
}

func TestDamagedGzipIsQuarantined(t *testing.T) {
	src := t.TempDir()
	generate(t, src, "--devices", "5", "--rows", "2000", "--tables", "DeviceNetworkEvents",
		"--gzip")
	path := filepath.Join(src, "DeviceNetworkEvents.jsonl.gz")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	sum := ingestAll(t, t.TempDir(), src)
	if sum.Quarantined != 1 || sum.Stored == 0 || sum.Stored >= 2000 {
		t.Errorf("summary %+v: expected the rows before the damage stored and one fault", sum)
	}
	// Damage within the first bytes read to tell the format.
	if err := os.WriteFile(path, data[:3000], 0o644); err != nil {
		t.Fatal(err)
	}
	sum = ingestAll(t, t.TempDir(), src)
	if sum.Quarantined != 1 {
		t.Errorf("summary %+v: expected one fault", sum)
	}
}

func TestInterruptedIngestKeepsWhatItReadAndResumes(t *testing.T) {
	src := t.TempDir()
	generate(t, src, "--devices", "5", "--rows", "8000", "--tables", "DeviceNetworkEvents")
	dir := t.TempDir()
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := w.Ingest(ctx, []string{src}, IngestOptions{Progress: func(p Progress) {
		if p.Read > 2000 {
			cancel()
		}
	}})
	w.Close()
	if !errors.Is(err, context.Canceled) || sum.Stored == 0 || sum.Stored >= 8000 ||
		sum.Read != sum.Stored {
		t.Fatalf("interrupted ingest: %+v, %v; expected part of the rows stored", sum, err)
	}
	rest := ingestAll(t, dir, src)
	if rest.Duplicate != 0 || sum.Stored+rest.Stored != 8000 {
		t.Errorf("resumed ingest stored %d more (%d duplicates); expected the other %d",
			rest.Stored, rest.Duplicate, 8000-sum.Stored)
	}
	sameContents(t, dir, src)
}

func TestSourcesInsideTheStoreAreNotIngested(t *testing.T) {
	root := t.TempDir()
	generate(t, root, "--devices", "3", "--rows", "100", "--tables", "DeviceNetworkEvents")
	dir := filepath.Join(root, "store")
	ingestAll(t, dir, root)
	again := ingestAll(t, dir, root)
	snap, _ := Open(dir)
	if tables := snap.Tables(); len(tables) != 1 || again.Read != 0 {
		t.Errorf("tables %v, re-ingest read %d; the store's own files must not be sources",
			tables, again.Read)
	}
}

func TestSnapshotIsUnchangedByLaterCommits(t *testing.T) {
	src := kqlbenchDir(t)
	dir := t.TempDir()
	ingestAll(t, dir, filepath.Join(src, "DeviceInfo.json"))
	snap, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	before := rowsOf(t, snap, "DeviceInfo")
	ingestAll(t, dir, filepath.Join(src, "DeviceNetworkInfo.json"))
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.Compact(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if got := rowsOf(t, snap, "DeviceInfo"); !slices.Equal(got, before) {
		t.Errorf("an open snapshot read %d rows after later commits, %d before", len(got),
			len(before))
	}
	if snap.Schema("DeviceNetworkInfo") != nil {
		t.Errorf("an open snapshot sees a table committed after it was opened")
	}
}

func TestStorageBlobLinesIngest(t *testing.T) {
	src := t.TempDir()
	dir := filepath.Join(src, "y=2025", "m=05", "d=07", "h=10", "m=00")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range 50 {
		table := []string{"DeviceNetworkEvents", "DeviceInfo"}[i%2]
		fmt.Fprintf(&b, `{"time":"2025-05-07T10:00:%02dZ","tenantId":"t","operationName":"Publish",`+
			`"category":"AdvancedHunting-%s","properties":{"Timestamp":"2025-05-07T10:00:%02dZ",`+
			`"DeviceId":"d%d","ReportId":%d,"ActionType":"ConnectionSuccess","RemotePort":%d}}`+"\n",
			i, table, i, i%3, i, 80+i)
	}
	if err := os.WriteFile(filepath.Join(dir, "PT1H.json"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	st := t.TempDir()
	sum := ingestAll(t, st, src)
	if sum.Stored != 50 {
		t.Errorf("stored %d records, expected 50", sum.Stored)
	}
	sameContents(t, st, src)
}

func TestByteOrderMarkAndCRLF(t *testing.T) {
	src := t.TempDir()
	text := "\xef\xbb\xbf" + `{"Timestamp":"2025-05-07T10:00:00Z","DeviceId":"d1","ReportId":1}` +
		"\r\n" + `{"Timestamp":"2025-05-07T10:00:01Z","DeviceId":"d1","ReportId":2}` + "\r\n"
	if err := os.WriteFile(filepath.Join(src, "DeviceInfo.jsonl"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if sum := ingestAll(t, dir, src); sum.Stored != 2 {
		t.Errorf("summary %+v: expected both rows stored", sum)
	}
	sameContents(t, dir, src)
}

// TestDamagedFirstLineQuarantinesOnlyIt checks that a JSON lines file whose
// first line is not JSON is still read line by line: the damaged line goes
// to the quarantine and the rows after it are stored, where the file was
// once taken as one damaged document.
func TestDamagedFirstLineQuarantinesOnlyIt(t *testing.T) {
	src := t.TempDir()
	var lines []string
	lines = append(lines, "garbage first line")
	for i := range 10 {
		lines = append(lines, fmt.Sprintf(`{"Timestamp":"2025-05-07T10:00:%02dZ",`+
			`"DeviceId":"d1","ReportId":%d,"ActionType":"ConnectionSuccess"}`, i, i))
	}
	text := strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(src, "DeviceNetworkEvents.jsonl"), []byte(text),
		0o644); err != nil {
		t.Fatal(err)
	}
	sum := ingestAll(t, t.TempDir(), src)
	if sum.Read != 11 || sum.Stored != 10 || sum.Quarantined != 1 {
		t.Errorf("summary %+v, expected read 11 = stored 10 + quarantined 1", sum)
	}
}
