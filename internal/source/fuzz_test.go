package source

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/huntql/huntql/internal/column"
)

// fuzzRead writes data to a file called name, scans and reads every table
// it holds, and checks the invariants every reader keeps: no panic, errors
// are *DataError, and reading one byte at a time or in parallel chunks of
// any size gives the same result.
// It returns the rows read per table, or the first error.
func fuzzRead(t *testing.T, name string, data []byte) (map[string][]string, error) {
	set, err := scanBytes(name, data)
	if err != nil {
		checkDataError(t, err)
		return nil, err
	}
	out := map[string][]string{}
	for _, table := range set.Tables() {
		rows, err := readAll(t, set, table, nil)
		slow, slowErr := readOneByte(t, set, table)
		if errString(err) != errString(slowErr) || strings.Join(rows, "\n") != strings.Join(slow, "\n") {
			t.Fatalf("reading %s one byte at a time differs:\n%v\n%v\nvs\n%v\n%v",
				table, err, rows, slowErr, slow)
		}
		for _, size := range testChunkSizes {
			got, gotErr := readChunked(t, set, table, nil, size)
			if errString(err) != errString(gotErr) ||
				err == nil && strings.Join(rows, "\n") != strings.Join(got, "\n") {
				t.Fatalf("reading %s in chunks of %d differs:\n%v\n%v\nvs\n%v\n%v",
					table, size, err, rows, gotErr, got)
			}
		}
		var subsets [][]string
		if schema := set.Schema(table); len(schema) > 0 {
			subsets = [][]string{{schema[0].Name}, {schema[len(schema)-1].Name}}
		}
		for _, cols := range subsets {
			want, wantErr := readAll(t, set, table, cols)
			got, gotErr := readChunked(t, set, table, cols, 7)
			if errString(wantErr) != errString(gotErr) ||
				wantErr == nil && strings.Join(want, "\n") != strings.Join(got, "\n") {
				t.Fatalf("reading %s %v in chunks differs:\n%v\n%v\nvs\n%v\n%v",
					table, cols, wantErr, want, gotErr, got)
			}
		}
		if err != nil {
			checkDataError(t, err)
			return nil, err
		}
		out[table] = rows
	}
	return out, nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func checkDataError(t *testing.T, err error) {
	t.Helper()
	var de *DataError
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not a *DataError", err, err)
	}
	if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrBadValue) &&
		!errors.Is(err, ErrBadRecord) {
		t.Fatalf("error %v wraps no sentinel", err)
	}
}

// scanBytes is Scan of one file with the given name and contents, without
// touching the file system.
func scanBytes(name string, data []byte) (*Set, error) {
	s := &Set{tables: map[string]*table{}}
	fi, err := classifyData(name, append([]byte{}, data...))
	if err != nil || fi == nil {
		return s, err
	}
	return s, s.scan([]*fileInfo{fi})
}

// readOneByte reads table like Set.Read but through a reader returning one
// byte per call, so every buffer refill path runs.
func readOneByte(t *testing.T, set *Set, table string) ([]string, error) {
	tb := set.tables[table]
	var rows []string
	sk := newSink(context.Background(), table, tb.schema, func(b *column.Batch) error {
		for i := 0; i < b.N; i++ {
			cells := make([]string, len(b.Cols))
			for j, c := range b.Cols {
				cells[j] = render(c, i)
			}
			rows = append(rows, strings.Join(cells, "|"))
		}
		return nil
	})
	for _, fi := range tb.files {
		var err error
		if fi.format == formatCSV {
			err = readCSV(fi, sk)
		} else if fi.format == formatAvro {
			r, oerr := fi.open()
			if oerr != nil {
				return nil, oerr
			}
			err = walkAvro(nil, fi.path, iotest.OneByteReader(r), sk)
			r.Close()
		} else {
			r, oerr := fi.open()
			if oerr != nil {
				return nil, oerr
			}
			f := &jsonFile{path: fi.path, l: newLexer(iotest.OneByteReader(r)), mode: fi.mode,
				table: fi.table, fallback: fi.fallback}
			err = f.walk(sk)
			r.Close()
		}
		if err != nil {
			return rows, err
		}
	}
	return rows, sk.flush()
}

// tooDeep reports whether data nests brackets deeper than the readers allow,
// where encoding/json (which allows more) is no oracle.
func tooDeep(data []byte) bool {
	return bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) > maxDepth/2
}

func FuzzJSON(f *testing.F) {
	f.Add([]byte("[\n" + netRow1 + ",\n" + netRow2 + "\n]"))
	f.Add([]byte(`[{"RemotePort":"8080","AdditionalFields":{"a":[1,2,{"b":null}]}}]`))
	f.Add([]byte(`[{"Timestamp":"2025-05-07T16:16:30Z","X":"\u00e9\ud83d\ude00\"\\"}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[null, 1]`))
	f.Add([]byte(`[{"a":1e400,"b":-0.5E-3,"c":true,"d":false,"e":null}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := fuzzRead(t, "DeviceNetworkEvents.json", data)
		var rows []map[string]any
		if json.Unmarshal(data, &rows) != nil || tooDeep(data) {
			return
		}
		if errors.Is(err, ErrMalformed) {
			t.Fatalf("encoding/json accepts the input, the reader fails: %v", err)
		}
		if err == nil && len(got["DeviceNetworkEvents"]) != len(rows) {
			t.Fatalf("read %d rows, encoding/json %d", len(got["DeviceNetworkEvents"]), len(rows))
		}
	})
}

func FuzzJSONLines(f *testing.F) {
	f.Add([]byte(netRow1 + "\n" + netRow2 + "\n"))
	f.Add([]byte(`{"ReportId":"12","IsInitiatingProcessRemoteSession":"True","New":[1]}` + "\r\n{}"))
	f.Add([]byte(`{"LocalPort":1.0}` + "\n" + `{"LocalPort":"x"}`))
	f.Add([]byte("{}\n[{}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := fuzzRead(t, "DeviceNetworkEvents.jsonl", data)
		dec := json.NewDecoder(bytes.NewReader(data))
		n := 0
		for {
			var row map[string]any
			if err := dec.Decode(&row); err != nil {
				if err.Error() != "EOF" {
					return // not JSON lines of objects: no oracle
				}
				break
			}
			n++
		}
		if tooDeep(data) {
			return
		}
		if errors.Is(err, ErrMalformed) {
			t.Fatalf("encoding/json accepts the input, the reader fails: %v", err)
		}
		if err == nil && len(got["DeviceNetworkEvents"]) != n {
			t.Fatalf("read %d rows, encoding/json %d", len(got["DeviceNetworkEvents"]), n)
		}
	})
}

func FuzzEventHub(f *testing.F) {
	f.Add([]byte(`{"records":[` + record("DeviceNetworkEvents", netRow1) + `,` +
		record("DeviceInfo", `{"DeviceName":"pc","Extra":{"x":1}}`) + `]}`))
	f.Add([]byte(record("DeviceNetworkEvents", netRow2) + "\n" + record("DeviceInfo", `{}`)))
	f.Add([]byte(`{"properties":{"a":1},"category":"AdvancedHunting-DeviceInfo"}`))
	f.Add([]byte(`[{"category":"x","properties":{}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, "capture.json", data)
	})
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("Timestamp,RemotePort,RemoteUrl\n2025-05-07T16:16:30Z,443,\"a,\"\"b\"\"\"\n"))
	f.Add([]byte("\ufeffRemoteUrl,Other\n\"x\ny\",1\n"))
	f.Add([]byte("AdditionalFields,IsInitiatingProcessRemoteSession\n\"{\"\"a\"\":1}\",True\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, "DeviceNetworkEvents.csv", data)
	})
}
