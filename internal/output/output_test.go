package output

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

var (
	when = types.DateFromTime(time.Date(2025, 5, 7, 16, 16, 30, 224009900, time.UTC))
	bag  = func() *types.Bag {
		b := types.NewBag()
		b.Set("z", int64(1))
		b.Set("a", []any{"x", true, nil})
		return b
	}()
	id = uuid.MustParse("54d61014-52aa-4bfc-9424-13aa153c5b27")
)

var mixed = column.Schema{
	{Name: "Domain", Type: types.String},
	{Name: "Last", Type: types.Datetime},
	{Name: "Failures", Type: types.Long},
	{Name: "Ratio", Type: types.Real},
	{Name: "Extra", Type: types.Dynamic},
}

var mixedRows = [][]any{
	{"winatp-gw-eus.microsoft.com", when, int64(12), 0.5, bag},
	{"a,b \"c\"", nil, nil, math.NaN(), nil},
	{"", when, int64(3), math.Inf(-1), "text"},
}

func TestWrite(t *testing.T) {
	tests := []struct {
		name   string
		format string
		cols   column.Schema
		rows   [][]any
		want   string
	}{
		{
			name: "table", format: Table, cols: mixed, rows: mixedRows,
			want: "" +
				"Domain                       Last                          Failures  Ratio      Extra\n" +
				"---------------------------  ----------------------------  --------  ---------  " +
				"---------------------------\n" +
				"winatp-gw-eus.microsoft.com  2025-05-07T16:16:30.2240099Z        12        0.5  " +
				`{"z":1,"a":["x",true,null]}` + "\n" +
				`a,b "c"                                                                    NaN` + "\n" +
				"                             2025-05-07T16:16:30.2240099Z         3  -Infinity  text\n",
		},
		{
			name: "table without rows", format: Table,
			cols: column.Schema{{Name: "Count", Type: types.Long}},
			want: "Count\n-----\n",
		},
		{
			name: "table escapes line breaks", format: Table,
			cols: column.Schema{{Name: "s", Type: types.String}, {Name: "n", Type: types.Int}},
			rows: [][]any{{"a\nb\tc", int32(7)}},
			want: "s        n\n-------  -\n" + `a\nb\tc` + "  7\n",
		},
		{
			name: "table wide characters count as one", format: Table,
			cols: column.Schema{{Name: "s", Type: types.String}, {Name: "t", Type: types.String}},
			rows: [][]any{{"café", "x"}},
			want: "s     t\n----  -\ncafé  x\n",
		},
		{
			name: "csv", format: CSV, cols: mixed, rows: mixedRows,
			want: "Domain,Last,Failures,Ratio,Extra\r\n" +
				`winatp-gw-eus.microsoft.com,2025-05-07T16:16:30.2240099Z,12,0.5,` +
				`"{""z"":1,""a"":[""x"",true,null]}"` + "\r\n" +
				`"a,b ""c""",,,NaN,` + "\r\n" +
				",2025-05-07T16:16:30.2240099Z,3,-Infinity,text\r\n",
		},
		{
			name: "json", format: JSON, cols: mixed, rows: mixedRows,
			want: `{"Domain":"winatp-gw-eus.microsoft.com","Last":"2025-05-07T16:16:30.2240099Z",` +
				`"Failures":12,"Ratio":0.5,"Extra":{"z":1,"a":["x",true,null]}}` + "\n" +
				`{"Domain":"a,b \"c\"","Last":null,"Failures":null,"Ratio":"NaN","Extra":null}` +
				"\n" +
				`{"Domain":"","Last":"2025-05-07T16:16:30.2240099Z","Failures":3,` +
				`"Ratio":"-Infinity","Extra":"text"}` + "\n",
		},
		{
			name: "json scalar types", format: JSON,
			cols: column.Schema{{Name: "b", Type: types.Bool}, {Name: "i", Type: types.Int},
				{Name: "d", Type: types.Decimal}, {Name: "t", Type: types.Timespan},
				{Name: "g", Type: types.Guid}, {Name: "s", Type: types.String},
				{Name: "r", Type: types.Real}, {Name: "h", Type: types.String}},
			rows: [][]any{{true, int32(-4), decimal.RequireFromString("1.50"),
				types.Duration(90 * types.Minute), id, nil, 1e20, "<a&b>"}},
			want: `{"b":true,"i":-4,"d":1.5,"t":"01:30:00",` +
				`"g":"54d61014-52aa-4bfc-9424-13aa153c5b27","s":"","r":1E+20,"h":"<a&b>"}` + "\n",
		},
		{
			name: "csv nulls are empty", format: CSV,
			cols: column.Schema{{Name: "b", Type: types.Bool}, {Name: "t", Type: types.Timespan}},
			rows: [][]any{{nil, nil}, {false, types.Duration(-types.Second)}},
			want: "b,t\r\n,\r\nfalse,-00:00:01\r\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tc.format, tc.cols, tc.rows); err != nil {
				t.Fatalf("Write: %v", err)
			}
			if got := b.String(); got != tc.want {
				t.Errorf("got:\n%s\nexpected:\n%s", got, tc.want)
			}
			if tc.format == JSON {
				for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
					if !json.Valid([]byte(line)) {
						t.Errorf("invalid JSON line %s", line)
					}
				}
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name   string
		format string
		rows   [][]any
		want   string
	}{
		{"unknown format", "xml", nil, `unknown output format "xml": expected table, csv or json`},
		{"short row", JSON, [][]any{{"a"}}, "row 1 has 1 values, expected 2"},
	}
	cols := column.Schema{{Name: "a", Type: types.String}, {Name: "b", Type: types.Long}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Write(&bytes.Buffer{}, tc.format, cols, tc.rows)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Write error = %v, expected %q", err, tc.want)
			}
		})
	}
}

func TestVerticalWhenTooWide(t *testing.T) {
	var b bytes.Buffer
	w, err := NewWriter(&b, Table, mixed)
	if err != nil {
		t.Fatal(err)
	}
	w.MaxWidth = 40
	for _, r := range mixedRows[:2] {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"-[ RECORD 1 ]\n" +
		"Domain   | winatp-gw-eus.microsoft.com\n" +
		"Last     | 2025-05-07T16:16:30.2240099Z\n" +
		"Failures | 12\n" +
		"Ratio    | 0.5\n" +
		`Extra    | {"z":1,"a":["x",true,null]}` + "\n" +
		"-[ RECORD 2 ]\n" +
		`Domain   | a,b "c"` + "\n" +
		"Last     |\n" +
		"Failures |\n" +
		"Ratio    | NaN\n" +
		"Extra    |\n"
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nexpected:\n%s", got, want)
	}
}

func TestStreamingJSON(t *testing.T) {
	var b bytes.Buffer
	w, err := NewWriter(&b, JSON, mixed[:1])
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := w.WriteRow([]any{"x"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), strings.Repeat(`{"Domain":"x"}`+"\n", 3); got != want {
		t.Errorf("got %q, expected %q", got, want)
	}
}
