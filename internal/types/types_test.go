package types

import (
	"math"
	"testing"
	"time"
)

func TestDatetimeFormatAndParse(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"iso with 7 digits", "2025-05-07T16:16:30.2240099Z", "2025-05-07T16:16:30.2240099Z"},
		{"iso without fraction", "2025-05-07T16:16:30Z", "2025-05-07T16:16:30.0000000Z"},
		{"date only", "2025-05-07", "2025-05-07T00:00:00.0000000Z"},
		{"space separated", "2025-05-07 16:16", "2025-05-07T16:16:00.0000000Z"},
		{"offset converts to utc", "2025-05-07T18:00:00+02:00", "2025-05-07T16:00:00.0000000Z"},
		{"rfc1123", "Wed, 07 May 2025 16:16:30 GMT", "2025-05-07T16:16:30.0000000Z"},
		{"year one", "0001-01-01", "0001-01-01T00:00:00.0000000Z"},
		{"before the unix epoch", "1960-01-01T00:00:00.5Z", "1960-01-01T00:00:00.5000000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := ParseDatetime(tt.in)
			if !ok {
				t.Fatalf("ParseDatetime(%q) failed", tt.in)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "yesterday", "2025-13-01", "2025-05-07T25:00"} {
		if _, ok := ParseDatetime(bad); ok {
			t.Errorf("ParseDatetime(%q) succeeded, want failure", bad)
		}
	}
}

func TestDateRoundTripsThroughTime(t *testing.T) {
	tm := time.Date(2025, 5, 7, 16, 16, 30, 224009900, time.UTC)
	if got := DateFromTime(tm).Time(); !got.Equal(tm) {
		t.Errorf("got %v, want %v", got, tm)
	}
}

func TestTimespan(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"1d", "1.00:00:00"},
		{"2h", "02:00:00"},
		{"1.5h", "01:30:00"},
		{"30m", "00:30:00"},
		{"10s", "00:00:10"},
		{"100ms", "00:00:00.1000000"},
		{"1tick", "00:00:00.0000001"},
		{"-1d", "-1.00:00:00"},
		{"1.02:03:04.5", "1.02:03:04.5000000"},
		{"02:03", "02:03:00"},
		{"3", "3.00:00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, ok := ParseTimespan(tt.in)
			if !ok {
				t.Fatalf("ParseTimespan(%q) failed", tt.in)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "1x", "25:00", "abc", "1.2.3"} {
		if _, ok := ParseTimespan(bad); ok {
			t.Errorf("ParseTimespan(%q) succeeded, want failure", bad)
		}
	}
}

func TestFormatDynamic(t *testing.T) {
	b := NewBag()
	b.Set("b", int64(1))
	b.Set("a", []any{"x", 1.5, nil, true})
	b.Set("t", Date(0))
	want := `{"b":1,"a":["x",1.5,null,true],"t":"0001-01-01T00:00:00.0000000Z"}`
	if got := FormatDynamic(b); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	v, err := ParseJSON(`{"z": 1, "a": [1, 2.5, "<&>"]}`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := FormatDynamic(v), `{"z":1,"a":[1,2.5,"<&>"]}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := ParseJSON(`{"a":1} trailing`); err == nil {
		t.Error("ParseJSON accepted trailing data")
	}
}

func TestParseTypeNamesAreCaseSensitive(t *testing.T) {
	for name, want := range map[string]Type{"long": Long, "int64": Long, "double": Real,
		"boolean": Bool, "date": Datetime, "time": Timespan, "uniqueid": Guid} {
		if got, ok := Parse(name); !ok || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", name, got, ok, want)
		}
	}
	for _, name := range []string{"Long", "DATETIME", "Double", "text"} {
		if _, ok := Parse(name); ok {
			t.Errorf("Parse(%q) succeeded; Kusto type names are case-sensitive", name)
		}
	}
}

func TestFormatRealAsDotNet(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{"integer", 42, "42"},
		{"negative zero", math.Copysign(0, -1), "0"},
		{"fraction", 0.1, "0.1"},
		{"shortest round trip", 0.30000000000000004, "0.30000000000000004"},
		{"millions stay fixed", 1234567.5, "1234567.5"},
		{"largest fixed exponent", 1e14 + 0.5, "100000000000000.5"},
		{"exponent 15 is scientific", 1e15, "1E+15"},
		{"scientific with digits", 1.5e17, "1.5E+17"},
		{"smallest fixed exponent", 0.0001, "0.0001"},
		{"small scientific doc", 2.20904969985854e-05, "2.20904969985854E-05"},
		{"tiny", -1e-7, "-1E-07"},
		{"three-digit exponent", 1e300, "1E+300"},
		{"nan", math.NaN(), "NaN"},
		{"infinity", math.Inf(-1), "-Infinity"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatReal(tc.in); got != tc.want {
				t.Errorf("FormatReal(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
