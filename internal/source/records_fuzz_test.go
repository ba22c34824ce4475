package source

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/hamba/avro/v2/ocf"

	"github.com/huntql/huntql/internal/schema"
)

// FuzzReadRecords reads arbitrary bytes as JSON lines, JSON, CSV and Avro files
// record by record. Nothing may panic; the reader fails only when the
// callback does; positions only grow; every record converts or is refused
// with a *DataError; reading from a resumed position gives what the first
// read gave after it; and where Set.Read reads the file without error, the
// records convert to the same rows.
func FuzzReadRecords(f *testing.F) {
	for _, s := range []string{
		`{"Timestamp":"2025-05-07T10:00:00Z","DeviceId":"d1","RemotePort":443}` + "\n" +
			`{"Timestamp":"bad"}` + "\n" + `{"cut":`,
		`[{"DeviceId":"a"},{"DeviceId":"b"}, 7]`,
		`{"records":[{"category":"AdvancedHunting-DeviceInfo","properties":{"DeviceId":"x"}},` +
			`{"category":1}]}`,
		"DeviceId,RemotePort\nd1,443\nd2,\"x\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Add([]byte("\"Timestamp [UTC+01:00]\",DeviceId,Extra,Type\n"+
		"\"5/7/2025, 4:16:30.224 PM\",d1,,DeviceNetworkEvents\nx,d2,y,DeviceInfo\n"), uint8(128))
	f.Add(captureFile(f, ocf.Null, 2,
		message(record("DeviceInfo", `{"DeviceId":"x","Timestamp":"2025-05-07T10:00:00Z"}`)),
		nil, []byte(`{"records":[{"Type":"DeviceInfo","DeviceId":"y"}]}`),
		message(record("DeviceNetworkEvents", `{"RemotePort":7}`))), uint8(129))
	f.Add(captureFile(f, ocf.Deflate, 1,
		[]byte(`{"records":[{"Type":"DeviceInfo","DeviceId":"y"},{"DeviceId":"z"}]}`),
		message(record("DeviceNetworkEvents", `{"RemotePort":"x"}`))), uint8(131))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		names := []string{"DeviceNetworkEvents.jsonl", "DeviceNetworkEvents.json",
			"DeviceNetworkEvents.csv", "query_data.csv", "capture.avro"}
		name := names[kind%3]
		if kind >= 128 { // kinds below keep the meaning the corpus gave them
			name = names[3+int(kind)%(len(names)-3)]
		}
		file, ok, err := Classify(name)
		if err != nil || !ok {
			t.Fatalf("classify %s: %v", name, err)
		}
		fields, _ := schema.Lookup("DeviceNetworkEvents")
		type seen struct {
			pos  Position
			recs int
		}
		var units []seen
		var recs []*Record
		faults := 0
		read := func(from Position) []seen {
			var out []seen
			var last Position
			err := ReadRecords(context.Background(), file,
				iotest.OneByteReader(bytes.NewReader(data)),
				RecordOptions{From: from}, func(u *Unit) error {
					if u.Pos.Units <= last.Units || u.Pos.Line < last.Line ||
						u.Pos.Offset >= 0 && u.Pos.Offset < last.Offset {
						t.Fatalf("position went back: %+v after %+v", u.Pos, last)
					}
					last = u.Pos
					conv := NewConverter(fields)
					for _, r := range u.Records {
						if err := conv.Append(name, r, nil); err != nil {
							if _, ok := err.(*DataError); !ok {
								t.Fatalf("conversion error %T: %v", err, err)
							}
						}
					}
					for _, fl := range u.Faults {
						if fl.Err == nil {
							t.Fatal("a fault without an error")
						}
					}
					if from == (Position{}) {
						recs = append(recs, u.Records...)
						faults += len(u.Faults)
					}
					out = append(out, seen{u.Pos, len(u.Records) + len(u.Faults)})
					return nil
				})
			if err != nil {
				t.Fatalf("ReadRecords: %v", err)
			}
			return out
		}
		units = read(Position{})
		// Where Set.Read reads the file without error, record by record
		// reading must find no fault and convert to the same rows.
		if set, err := scanBytes(name, data); err == nil {
			for _, table := range set.Tables() {
				want, err := readAll(t, set, table, nil)
				if err != nil {
					return
				}
				if faults > 0 {
					t.Fatalf("Set.Read reads %s whole; ReadRecords found %d faults", table,
						faults)
				}
				conv := NewConverter(set.Schema(table))
				for _, r := range recs {
					if r.Table == table {
						if err := conv.Append(name, r, nil); err != nil {
							t.Fatalf("Set.Read converts %s; ReadRecords: %v", table, err)
						}
					}
				}
				var got []string
				for _, b := range conv.Batches() {
					for i := 0; i < b.N; i++ {
						cells := make([]string, len(b.Cols))
						for j, c := range b.Cols {
							cells[j] = render(c, i)
						}
						got = append(got, strings.Join(cells, "|"))
					}
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Fatalf("%s: record by record\n%s\nSet.Read\n%s", table,
						strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
		}
		if len(units) > 1 {
			mid := units[len(units)/2-1]
			again := read(mid.pos)
			if len(again) != len(units)-len(units)/2 {
				t.Fatalf("resumed at %+v: %d units, expected %d", mid.pos, len(again),
					len(units)-len(units)/2)
			}
		}
	})
}
