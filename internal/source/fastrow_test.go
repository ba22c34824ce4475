package source

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/huntql/huntql/internal/types"
)

// TestFastRowRandom reads random JSON lines, shaped to exercise the fast
// path of chunk rows (repeated members and runs of them, keys moving, keys
// missing or repeated, escapes, whitespace, nested values over several
// lines, values of the wrong type), in chunks and sequentially, whole and
// streamed, for several column subsets, and requires the same rows and
// errors.
func TestFastRowRandom(t *testing.T) {
	members := []func(r *rand.Rand) string{
		func(r *rand.Rand) string { return `"Timestamp":"2025-05-07T16:16:30.2240099Z"` },
		func(r *rand.Rand) string {
			return fmt.Sprintf(`"Timestamp":"2025-05-07T16:%02d:30Z"`, r.IntN(3))
		},
		func(r *rand.Rand) string { return fmt.Sprintf(`"RemotePort":%d`, []int{1, 12, 123}[r.IntN(3)]) },
		func(r *rand.Rand) string { return `"RemotePort":null` },
		func(r *rand.Rand) string { return `"RemoteUrl":"a.example"` },
		func(r *rand.Rand) string { return fmt.Sprintf(`"RemoteUrl":"u%d\"x"`, r.IntN(2)) },
		func(r *rand.Rand) string { return `"ActionType":""` },
		func(r *rand.Rand) string { return fmt.Sprintf(`"ActionType":"A%d"`, r.IntN(2)) },
		func(r *rand.Rand) string { return `"LocalIP":"10.0.0.1"` },
		func(r *rand.Rand) string { return fmt.Sprintf(`"LocalIP":"10.0.0.%d"`, r.IntN(3)) },
		func(r *rand.Rand) string { return `"Protocol":"Tcp"` },
		func(r *rand.Rand) string { return `"IsInitiatingProcessRemoteSession":false` },
		func(r *rand.Rand) string { return `"IsInitiatingProcessRemoteSession":true` },
		func(r *rand.Rand) string { return `"InitiatingProcessId":4` },
		func(r *rand.Rand) string { return `"InitiatingProcessId":-4.5e1` },
		func(r *rand.Rand) string { return `"AdditionalFields":null` },
		func(r *rand.Rand) string { return `"AdditionalFields":{"a":[1,{"b":"}"}],"c":"\\"}` },
		func(r *rand.Rand) string { return "\"AdditionalFields\":{\n\"a\":\n[1]}" },
		func(r *rand.Rand) string { return `"Extra":"x"` },
		func(r *rand.Rand) string { return `"Extra":[]` },
		func(r *rand.Rand) string { return `"Ex\u0074ra":1` },
		func(r *rand.Rand) string { return `"Remote\u0055rl":"esc"` },
	}
	// Values of the wrong type (syntax errors fail the scan already).
	bad := []string{`"RemotePort":"x"`, `"Timestamp":"nope"`, `"RemotePort":[1]`,
		`"IsInitiatingProcessRemoteSession":"maybe"`}
	seps := []string{",", ",", ",", ",", ", ", " ,", ",\n"}
	colons := []string{":", ":", ":", ": "}
	for seed := range 40 {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		var b strings.Builder
		// A few row shapes, each mostly repeated, so that the fast path
		// matches, and sometimes something else.
		shapes := make([][]int, 3)
		for i := range shapes {
			for range 2 + r.IntN(8) {
				shapes[i] = append(shapes[i], r.IntN(len(members)))
			}
		}
		sep, colon := ",", ":"
		if seed%4 == 3 {
			sep, colon = seps[r.IntN(len(seps))], colons[r.IntN(len(colons))]
		}
		for row := range 200 {
			shape := shapes[0]
			if r.IntN(10) == 0 {
				shape = shapes[r.IntN(len(shapes))]
			}
			var parts []string
			for _, m := range shape {
				s := members[m](r)
				if r.IntN(30) == 0 {
					s = members[r.IntN(len(members))](r)
				}
				parts = append(parts, strings.Replace(s, ":", colon, 1))
			}
			if seed%5 == 4 && row == 150 {
				parts = append(parts, bad[seed/5%len(bad)])
			}
			if r.IntN(50) == 0 {
				parts = nil
			}
			b.WriteString("{" + strings.Join(parts, sep) + "}\n")
		}
		set, err := scanBytes("DeviceNetworkEvents.jsonl", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		table := "DeviceNetworkEvents"
		for _, cols := range [][]string{nil, {"RemotePort"}, {"Timestamp", "ActionType"},
			{"RemoteUrl", "IsInitiatingProcessRemoteSession", "LocalIP"}} {
			var want []string
			var wantErr error
			withChunkSize(1<<30, func() { want, wantErr = readAll(t, set, table, cols) })
			for _, whole := range []bool{true, false} {
				useWhole = whole
				for _, size := range []int{1, 7, 64, 300, 5000} {
					got, err := readChunked(t, set, table, cols, size)
					if errString(err) != errString(wantErr) {
						t.Fatalf("seed %d cols %v whole %v chunks of %d: error %v, sequentially %v",
							seed, cols, whole, size, err, wantErr)
					}
					if wantErr == nil && strings.Join(got, "\n") != strings.Join(want, "\n") {
						t.Fatalf("seed %d cols %v whole %v chunks of %d:\n%s\nsequentially:\n%s",
							seed, cols, whole, size, strings.Join(got, "\n"), strings.Join(want, "\n"))
					}
				}
			}
			useWhole = true
		}
	}
}

// TestParseISODate checks the ISO fast path against time.Date, days past
// the end of a month and leap years included.
func TestParseISODate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		y, m, d := 1+r.IntN(9999), 1+r.IntN(12), 1+r.IntN(31)
		if r.IntN(4) == 0 {
			y = []int{1600, 1700, 1900, 2000, 2024, 2025, 1, 9999}[r.IntN(8)]
			m = 2
			d = 28 + r.IntN(2)
		}
		h, mi, s, f := r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(10_000_000)
		text := fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%07dZ", y, m, d, h, mi, s, f)
		got, ok := parseISODate([]byte(text))
		tm := time.Date(y, time.Month(m), d, h, mi, s, f*100, time.UTC)
		wantOK := tm.Day() == d
		if ok != wantOK || ok && got != types.DateFromTime(tm) {
			t.Fatalf("%s: %v %v, expected %v %v", text, got, ok, types.DateFromTime(tm), wantOK)
		}
	}
}
