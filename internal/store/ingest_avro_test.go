package store

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hamba/avro/v2/ocf"

	"github.com/huntql/huntql/internal/gen"
)

// captureFile writes an Event Hub Capture file holding one event per body
// (nil: a null Body), perBlock events to a block.
func captureFile(t *testing.T, codec ocf.CodecName, perBlock int, bodies ...[]byte) string {
	t.Helper()
	data, err := gen.CaptureFile(codec, perBlock, bodies...)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// hubMessages returns generated Event Hub messages of two tables, one a body.
func hubMessages(t *testing.T) [][]byte {
	t.Helper()
	var js bytes.Buffer
	opts := gen.Options{Devices: 20, Rows: 1500, ProcessRows: 600, RecordsPerMessage: 64}
	for _, table := range []string{gen.DeviceNetworkEvents, gen.DeviceProcessEvents} {
		if err := gen.Write(&js, table, gen.EventHub, opts); err != nil {
			t.Fatal(err)
		}
		js.WriteByte('\n')
	}
	var bodies [][]byte
	dec := json.NewDecoder(&js)
	for {
		var m json.RawMessage
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, m)
	}
	if len(bodies) < 30 {
		t.Fatalf("only %d messages", len(bodies))
	}
	return bodies
}

// TestCaptureAvroIngestsAsDataReadsIt guards against ingest skipping Event
// Hub Capture files ("reading it record by record is not supported yet"):
// their events' bodies hold Event Hub messages of Defender records, or of
// a Log Analytics data export's rows, which the store must hold as --data
// reads them.
func TestCaptureAvroIngestsAsDataReadsIt(t *testing.T) {
	bodies := hubMessages(t)
	laRows := `{"records":[{"TenantId":"t","TimeGenerated":"2025-05-07T16:16:31Z",` +
		`"Timestamp":"2025-05-07T16:16:30Z","DeviceId":"d1","ReportId":1,"ActionType":"A",` +
		`"RemotePort":443,"Type":"DeviceNetworkEvents"},{"Type":"DeviceInfo",` +
		`"Timestamp":"2025-05-07T16:16:30Z","DeviceName":"pc","Extra":[1]}]}`
	tests := []struct {
		name  string
		files map[string]string
	}{
		{"defender messages, deflate", map[string]string{
			"ns/hub/0/2025/05/07/16/15/00.avro": captureFile(t, ocf.Deflate, 16, bodies...)}},
		{"null bodies, snappy", map[string]string{
			"00.avro": captureFile(t, ocf.Snappy, 3, nil, bodies[0], nil, []byte(" "))}},
		{"log analytics rows, zstandard, no extension", map[string]string{
			"capture": captureFile(t, ocf.ZStandard, 1, []byte(laRows), bodies[1])}},
		{"gzip", map[string]string{"00.avro.gz": gzipText(t, captureFile(t, ocf.Null, 5,
			bodies[:7]...))}},
		{"no events", map[string]string{"00.avro": captureFile(t, ocf.Null, 5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := writeTree(t, tt.files)
			dir := t.TempDir()
			sum := ingestAll(t, dir, src)
			if sum.Quarantined != 0 || len(sum.Skipped) != 0 {
				t.Errorf("summary %+v: expected every record stored", sum)
			}
			sameContents(t, dir, src)
		})
	}
}

// TestCaptureAvroResumesByEvent ingests a capture file as Capture writes
// it, a block at a time: each run adds only the events after the last,
// and a block cut short is left for the next run, not quarantined.
func TestCaptureAvroResumesByEvent(t *testing.T) {
	bodies := hubMessages(t)[:36]
	full := captureFile(t, ocf.Deflate, 4, bodies...)
	var ends []int // where the header and each block end
	for i := 0; ; {
		j := strings.Index(full[i:], string(gen.CaptureSync[:]))
		if j < 0 {
			break
		}
		i += j + len(gen.CaptureSync)
		ends = append(ends, i)
	}
	if len(ends) != 10 {
		t.Fatalf("%d sync markers, expected the header's and 9 blocks'", len(ends))
	}
	src := t.TempDir()
	path := filepath.Join(src, "00.avro")
	dir := t.TempDir()
	var read int64
	for _, n := range []int{ends[0], ends[3], ends[3] + 20, ends[7], len(full) - 5, len(full)} {
		if err := os.WriteFile(path, []byte(full[:n]), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := ingestAll(t, dir, src)
		read += sum.Read
		if sum.Quarantined != 0 {
			t.Fatalf("at byte %d: quarantined %d records", n, sum.Quarantined)
		}
		if cut := n == ends[3]+20 || n == len(full)-5; (sum.IncompleteBlocks == 1) != cut {
			t.Errorf("at byte %d: %d incomplete blocks, expected cut=%v", n,
				sum.IncompleteBlocks, cut)
		}
	}
	once := t.TempDir()
	if sum := ingestAll(t, once, src); sum.Read != read {
		t.Errorf("read %d records a block at a time, %d at once", read, sum.Read)
	}
	sameContents(t, dir, src)
}

// TestCaptureAvroDamage quarantines an event whose body is not a message,
// with its event number, and stores the others.
func TestCaptureAvroDamage(t *testing.T) {
	bodies := hubMessages(t)[:3]
	src := writeTree(t, map[string]string{"00.avro": captureFile(t, ocf.Null, 2,
		bodies[0], []byte(`{"records":[{"category":"AdvancedHunting-DeviceInfo",`), bodies[1],
		[]byte(`{"records":[{"Type":"DeviceInfo","DeviceId":"x"},{"DeviceId":"y"}]}`))})
	dir := t.TempDir()
	sum := ingestAll(t, dir, src)
	q := quarantineOf(t, dir)
	if sum.Quarantined != 2 || len(q) != 2 || sum.Stored < 64 {
		t.Fatalf("summary %+v, quarantine %+v: expected two faults and the rest stored", sum, q)
	}
	if !strings.Contains(q[0].Reason, "00.avro: event 2: ") || q[0].Raw == "" ||
		!strings.Contains(q[1].Reason, "00.avro: event 4: expected a Type naming the row's "+
			"table, found none") || q[1].Raw != `{"DeviceId":"y"}` {
		t.Errorf("quarantine %+v: expected the faults placed by event, with their text", q)
	}
}
