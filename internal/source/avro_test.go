package source

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hamba/avro/v2/ocf"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/gen"
)

// captureFile writes a capture-shaped Avro file holding one event per
// body (a nil body is a null Body), perBlock events to a block.
func captureFile(tb testing.TB, codec ocf.CodecName, perBlock int, bodies ...[]byte) []byte {
	tb.Helper()
	data, err := gen.CaptureFile(codec, perBlock, bodies...)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// message returns an Event Hub message holding the given records.
func message(records ...string) []byte {
	return []byte(`{"records":[` + strings.Join(records, ",") + `]}`)
}

func TestAvroCapture(t *testing.T) {
	bodies := [][]byte{
		message(record("DeviceNetworkEvents", netRow1), record("DeviceInfo", `{"DeviceName":"pc"}`)),
		nil,
		[]byte{},
		append([]byte("\ufeff"), message(record("DeviceInfo", `{"DeviceName":"pc2"}`))...),
		message(record("DeviceNetworkEvents", netRow2)),
	}
	for _, codec := range []ocf.CodecName{ocf.Null, ocf.Deflate, ocf.Snappy, ocf.ZStandard} {
		for _, perBlock := range []int{1, 3, 100} {
			for _, gz := range []bool{false, true} {
				name := fmt.Sprintf("%s/%d per block/gzip %v", codec, perBlock, gz)
				t.Run(name, func(t *testing.T) {
					data := captureFile(t, codec, perBlock, bodies...)
					file := "0/2025/05/07/16/15/00.avro"
					if gz {
						file += ".gz" // writeFiles compresses it
					}
					dir := writeFiles(t, map[string]string{file: string(data)})
					set, err := Scan([]string{dir})
					if err != nil {
						t.Fatal(err)
					}
					if got := strings.Join(set.Tables(), ","); got != "DeviceInfo,DeviceNetworkEvents" {
						t.Fatalf("tables %s", got)
					}
					got, err := readAll(t, set, "DeviceNetworkEvents", netCols)
					if err != nil {
						t.Fatal(err)
					}
					if want := netOut1 + "\n" + netOut2; strings.Join(got, "\n") != want {
						t.Errorf("got\n%s\nexpected\n%s", strings.Join(got, "\n"), want)
					}
				})
			}
		}
	}
}

// TestAvroWithoutExtension guards a capture file saved without its .avro
// suffix: it is recognized by its magic bytes.
func TestAvroWithoutExtension(t *testing.T) {
	data := captureFile(t, ocf.Deflate, 10, message(record("DeviceNetworkEvents", netRow1)))
	dir := writeFiles(t, map[string]string{"00": string(data), "01.gz": string(data)})
	set, err := Scan([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, set, "DeviceNetworkEvents", netCols)
	if err != nil || strings.Join(got, "\n") != netOut1+"\n"+netOut1 {
		t.Fatalf("got %v, %v", got, err)
	}
}

// TestAvroEmptyCapture guards the files Capture writes for quiet windows:
// a header and no blocks hold no table and are no error.
func TestAvroEmptyCapture(t *testing.T) {
	dir := writeFiles(t, map[string]string{"00.avro": string(captureFile(t, ocf.Null, 10))})
	set, err := Scan([]string{dir})
	if err != nil || len(set.Tables()) != 0 || len(set.Skipped()) != 0 {
		t.Fatalf("tables %v skipped %v err %v", set.Tables(), set.Skipped(), err)
	}
}

// avroOffsets returns the end of the header and the start of each block's
// sync marker in a null-codec capture file, found by the sync bytes.
func avroSyncs(data []byte) []int {
	sync := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	var out []int
	for i := 0; ; {
		j := bytes.Index(data[i:], sync)
		if j < 0 {
			return out
		}
		out = append(out, i+j)
		i += j + len(sync)
	}
}

func TestAvroErrors(t *testing.T) {
	good := captureFile(t, ocf.Null, 2,
		message(record("DeviceNetworkEvents", netRow1)),
		message(record("DeviceNetworkEvents", netRow2)),
		message(record("DeviceNetworkEvents", `{"RemotePort":"abc"}`)))
	syncs := avroSyncs(good) // header, block 1, block 2
	if len(syncs) != 3 {
		t.Fatalf("found %d sync markers, expected 3", len(syncs))
	}
	flip := func(data []byte, at int) []byte {
		out := append([]byte(nil), data...)
		out[at] ^= 0xff
		return out
	}
	notCapture := captureFileSchema(t, `{"type":"record","name":"R","fields":[`+
		`{"name":"Other","type":"string"}]}`, map[string]any{"Other": "x"})
	stringBody := captureFileSchema(t, `{"type":"record","name":"R","fields":[`+
		`{"name":"Body","type":"string"}]}`, map[string]any{"Body": "x"})
	badUnion := captureFileSchema(t, `{"type":"record","name":"R","fields":[`+
		`{"name":"Body","type":["null","bytes"]}]}`, map[string]any{"Body": nil})
	if s := avroSyncs(badUnion); len(s) == 2 && badUnion[s[1]-1] == 0 {
		badUnion[s[1]-1] = 8 // union branch 4
	} else {
		t.Fatalf("unexpected layout of the one-event file")
	}
	// The parser skips a metadata block's byte size, so a value may change length.
	bzip2 := bytes.Replace(good, []byte("avro.codec\x08null"), []byte("avro.codec\x0abzip2"), 1)
	if bytes.Equal(bzip2, good) {
		t.Fatal("no codec in the header")
	}
	tests := []struct {
		name string
		data []byte
		want string
		is   error
	}{
		{"unsupported codec", bzip2,
			`c.avro: expected codec null, deflate, snappy or zstandard, found "bzip2"`,
			ErrBadRecord},
		{"bad union branch in an event", badUnion,
			`c.avro: event 1: block 1: field Body: expected a union branch 0 to 1, found 4`,
			ErrMalformed},
		{"bad value in a body", good,
			`c.avro: event 3: record 3: column RemotePort: expected int, found "abc"`, ErrBadValue},
		{"truncated in the header", good[:6],
			`c.avro: expected metadata block size, found end of input (at byte 6)`, ErrMalformed},
		{"truncated in a block", good[:syncs[1]-5],
			fmt.Sprintf(`c.avro: block 1: expected block data, found end of input (at byte %d)`,
				syncs[1]-5), ErrMalformed},
		{"truncated in a sync marker", good[:syncs[2]+3],
			fmt.Sprintf(`c.avro: block 2: expected 16-byte sync marker, `+
				`found end of input (at byte %d, after event 2)`, syncs[2]+3), ErrMalformed},
		{"bad sync marker", flip(good, syncs[1]+15),
			fmt.Sprintf(`c.avro: block 1: expected the header's sync marker after the block, `+
				`found other bytes (a damaged block or a wrong size) (at byte %d)`, syncs[1]+16),
			ErrMalformed},
		{"bad block data", flip(good, syncs[1]-3),
			`c.avro: event 2: record 2: expected ',' or '}' in object, found byte 0x82`, ErrMalformed},
		{"not avro", []byte("PK\x03\x04 zip"),
			`c.avro: expected an avro object container file (starting "Obj\x01"), ` +
				`found "PK\x03\x04" (at byte 0)`, ErrMalformed},
		{"not a capture schema", notCapture,
			`c.avro: expected an event hub capture schema (a record with a Body of bytes), ` +
				`found record R without Body`, ErrBadRecord},
		{"string body", stringBody,
			`c.avro: expected the Body field of bytes or [null, bytes], found "string"`,
			ErrBadRecord},
		{"body not a message", captureFile(t, ocf.Null, 1, []byte(record("DeviceInfo", `{}`))),
			`c.avro: event 1: expected a records array in the event hub message, found none`,
			ErrBadRecord},
		{"body not json", captureFile(t, ocf.Null, 1, []byte("hello")),
			`c.avro: event 1: expected JSON object or array, found 'h'`, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"c.avro": string(tt.data)})
			got, err := readErr(t, dir, "DeviceNetworkEvents")
			expectDataError(t, got, err, tt.want, tt.is)
		})
	}
}

// TestAvroTruncatedGzip guards a capture file whose gzip is cut short: a
// malformed-input error naming the file and the cause.
func TestAvroTruncatedGzip(t *testing.T) {
	bodies := make([][]byte, 500)
	for i := range bodies {
		bodies[i] = message(record("DeviceNetworkEvents", netRow1))
	}
	z := gzipBytes(t, captureFile(t, ocf.Null, 50, bodies...))
	dir := writeFiles(t, map[string]string{"00.avro": string(z[:len(z)-12])})
	msg, err := readErr(t, dir, "DeviceNetworkEvents")
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("error %v, expected ErrMalformed", err)
	}
	if !strings.HasPrefix(msg, "00.avro: block ") || !strings.Contains(msg, "unexpected EOF") ||
		!strings.Contains(msg, "after event ") {
		t.Errorf("message %q lacks file, block, event and cause", msg)
	}
}

// captureFileSchema writes an Avro file of one value with another schema.
func captureFileSchema(tb testing.TB, schema string, v any) []byte {
	tb.Helper()
	var b bytes.Buffer
	enc, err := ocf.NewEncoder(schema, &b, ocf.WithSyncBlock([16]byte{1, 2, 3, 4, 5, 6, 7, 8,
		9, 10, 11, 12, 13, 14, 15, 16}))
	if err != nil {
		tb.Fatal(err)
	}
	if err := enc.Encode(v); err != nil {
		tb.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// TestAvroEveryTruncation cuts a capture file at every byte: each cut is
// a *DataError or a shorter read, never a panic or a hang.
func TestAvroEveryTruncation(t *testing.T) {
	for _, codec := range []ocf.CodecName{ocf.Null, ocf.Deflate, ocf.Snappy, ocf.ZStandard} {
		data := captureFile(t, codec, 2, message(record("DeviceNetworkEvents", netRow1)),
			message(record("DeviceNetworkEvents", netRow2)), nil)
		boundary := map[int]bool{}
		for _, at := range avroSyncs(data) {
			boundary[at+16] = true
		}
		for n := 0; n < len(data); n++ {
			// Only a cut exactly between blocks reads cleanly.
			if _, err := fuzzRead(t, "c.avro", data[:n]); (err == nil) != boundary[n] {
				t.Fatalf("%s: cut at %d of %d: error %v", codec, n, len(data), err)
			}
		}
	}
}

// writeCapture writes a capture file of n events, each a message of per
// network-event records, and returns its directory.
func writeCapture(b *testing.B, codec ocf.CodecName, n, per int) string {
	b.Helper()
	bodies := make([][]byte, n)
	for i := range bodies {
		recs := make([]string, per)
		for j := range recs {
			k := i*per + j
			recs[j] = record("DeviceNetworkEvents", fmt.Sprintf(
				`{"Timestamp":"2025-05-07T16:%02d:%02d.%07dZ","DeviceId":"d%040d",`+
					`"DeviceName":"host-%d.contoso.com","ActionType":"ConnectionSuccess",`+
					`"RemoteIP":"10.1.%d.%d","RemotePort":%d,"RemoteUrl":"www.example%d.com",`+
					`"LocalIP":"10.0.0.4","LocalPort":%d,"Protocol":"Tcp","ReportId":%d}`,
				k/60%60, k%60, k%10_000_000, k%4, k%7, k%250, k%200, 443+k%3, k%100,
				50000+k%1000, k))
		}
		bodies[i] = message(recs...)
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "00.avro")
	if err := os.WriteFile(path, captureFile(b, codec, 100, bodies...), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkAvroCapture reads capture files of 20,000 events holding 10
// network-event records each, all columns, reporting records per second;
// scan/ measures Scan, which reads every event to learn the tables.
func BenchmarkAvroCapture(b *testing.B) {
	for _, codec := range []ocf.CodecName{ocf.Null, ocf.Deflate, ocf.Snappy, ocf.ZStandard} {
		dir := writeCapture(b, codec, 20_000, 10)
		b.Run("scan/"+string(codec), func(b *testing.B) {
			for b.Loop() {
				if _, err := Scan([]string{dir}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(200_000*b.N)/b.Elapsed().Seconds(), "records/s")
		})
		b.Run(string(codec), func(b *testing.B) {
			set, err := Scan([]string{dir})
			if err != nil {
				b.Fatal(err)
			}
			rows := 0
			for b.Loop() {
				err := set.Read(context.Background(), "DeviceNetworkEvents", nil,
					func(bt *column.Batch) error {
						rows += bt.N
						return nil
					})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// TestAvroAgreesWithEventHubJSON reads generated Event Hub messages from
// JSON and from a capture file holding each message as an event's body,
// and expects the same rows, all columns.
func TestAvroAgreesWithEventHubJSON(t *testing.T) {
	var js bytes.Buffer
	opts := gen.Options{Devices: 20, Rows: 1500, ProcessRows: 600, RecordsPerMessage: 64}
	for _, table := range []string{gen.DeviceNetworkEvents, gen.DeviceProcessEvents} {
		if err := gen.Write(&js, table, gen.EventHub, opts); err != nil {
			t.Fatal(err)
		}
		js.WriteByte('\n')
	}
	var bodies [][]byte
	dec := json.NewDecoder(bytes.NewReader(js.Bytes()))
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
	fromJSON, err := Scan([]string{writeFiles(t, map[string]string{"m.json": js.String()})})
	if err != nil {
		t.Fatal(err)
	}
	fromAvro, err := Scan([]string{writeFiles(t, map[string]string{
		"00.avro": string(captureFile(t, ocf.Deflate, 16, bodies...))})})
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{gen.DeviceNetworkEvents, gen.DeviceProcessEvents} {
		want, err := readAll(t, fromJSON, table, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readAll(t, fromAvro, table, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 400 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: %d rows from avro, %d from json, or they differ", table, len(got),
				len(want))
		}
		if fmt.Sprint(fromAvro.Schema(table)) != fmt.Sprint(fromJSON.Schema(table)) {
			t.Errorf("%s: schemas differ", table)
		}
	}
}

// TestAvroLogAnalyticsExport reads capture files of a Log Analytics data
// export, whose messages hold flat rows with a Type naming the table.
func TestAvroLogAnalyticsExport(t *testing.T) {
	row1 := `{"TenantId":"t","TimeGenerated":"2025-05-07T16:16:31Z",` + netRow1[1:len(netRow1)-1] +
		`,"Type":"DeviceNetworkEvents"}`
	row2 := `{"Type":"devicenetworkevents",` + netRow2[1:]
	data := captureFile(t, ocf.Snappy, 2,
		message(row1, `{"Type":"DeviceInfo","DeviceName":"pc","Extra":[1]}`),
		message(row2))
	set, err := Scan([]string{writeFiles(t, map[string]string{"00.avro": string(data)})})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, set, "DeviceNetworkEvents", append(netCols, "TimeGenerated"))
	if want := netOut1 + "|2025-05-07T16:16:31.0000000Z\n" + netOut2 + "|null"; err != nil ||
		strings.Join(got, "\n") != want {
		t.Errorf("got\n%s\n%v\nexpected\n%s", strings.Join(got, "\n"), err, want)
	}
	got, err = readAll(t, set, "DeviceInfo", []string{"DeviceName", "Extra"})
	if err != nil || strings.Join(got, "\n") != `"pc"|d:[1]` {
		t.Errorf("DeviceInfo: %v %v", got, err)
	}
	bad := captureFile(t, ocf.Null, 1, message(row1, `{"DeviceName":"pc"}`))
	msg, err := readErr(t, writeFiles(t, map[string]string{"c.avro": string(bad)}),
		"DeviceNetworkEvents")
	want := "c.avro: event 1: record 2: expected a Type naming the row's table, found none"
	if msg != want || !errors.Is(err, ErrBadRecord) {
		t.Errorf("got %s (%v), expected %s", msg, err, want)
	}
}
