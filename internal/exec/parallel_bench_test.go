package exec

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/sema"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// benchSchema is a slice of DeviceNetworkEvents.
var benchSchema = column.Schema{
	{Name: "Timestamp", Type: types.Datetime},
	{Name: "ActionType", Type: types.String},
	{Name: "DeviceId", Type: types.String},
	{Name: "RemoteIPType", Type: types.String},
	{Name: "RemoteUrl", Type: types.String},
	{Name: "RemotePort", Type: types.Long},
}

type benchSource struct{ batches []*column.Batch }

func (s *benchSource) Read(ctx context.Context, table string, cols []string,
	fn func(*column.Batch) error,
) error {
	for _, b := range s.batches {
		out := &column.Batch{N: b.N}
		for _, c := range cols {
			out.Cols = append(out.Cols, b.Cols[benchSchema.Index(c)])
		}
		if err := fn(out); err != nil {
			return err
		}
	}
	return nil
}

type benchCatalog struct{}

func (benchCatalog) Table(name string) (column.Schema, bool) {
	return benchSchema, name == "DeviceNetworkEvents"
}

func (benchCatalog) Tables() []string { return []string{"DeviceNetworkEvents"} }

// benchBatches makes rows rows of network events over 30 days; ActionType
// and RemoteIPType are dictionary-encoded, as the store reads them.
func benchBatches(rows int) []*column.Batch {
	rng := rand.New(rand.NewPCG(7, 7))
	actions := []string{"ConnectionSuccess", "ConnectionFailed", "InboundConnectionAccepted",
		"ListeningConnectionCreated", "ConnectionRequest", "ConnectionAttempt"}
	ipTypes := []string{"Public", "Private", "Loopback", "LinkLocal", "Reserved"}
	urls := []string{"winatp-gw-eus.microsoft.com", "https://www.bing.com/search",
		"https://us.vortex-win.data.microsoft.com/collect", "ctldl.windowsupdate.com",
		"example.org", ""}
	start := int64(types.DateFromTime(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)))
	var out []*column.Batch
	for rows > 0 {
		n := min(rows, column.BatchSize)
		rows -= n
		b := column.NewBatch(benchSchema, n)
		var ac, ic []int32
		for range n {
			a, ip := rng.IntN(len(actions)), rng.IntN(len(ipTypes))
			ac, ic = append(ac, int32(a)), append(ic, int32(ip))
			b.Cols[0].Append(types.Date(start + rng.Int64N(30*24*3600*10_000_000)))
			b.Cols[1].Append(actions[a])
			b.Cols[2].Append(fmt.Sprintf("device-%04d", rng.IntN(1000)))
			b.Cols[3].Append(ipTypes[ip])
			b.Cols[4].Append(urls[rng.IntN(len(urls))])
			b.Cols[5].Append(int64(rng.IntN(3) * 443))
			b.N++
		}
		b.Cols[1].Dict, b.Cols[1].Codes = actions, ac
		b.Cols[3].Dict, b.Cols[3].Codes = ipTypes, ic
		out = append(out, b)
	}
	return out
}

var benchQueries = []struct{ name, query string }{
	{"bin", `DeviceNetworkEvents | summarize count() by bin(Timestamp, 1h), ActionType`},
	{"dcount", `DeviceNetworkEvents
		| summarize dcount(DeviceId), count() by RemoteIPType, ActionType`},
	{"seed", `DeviceNetworkEvents
		| where ActionType == "ConnectionFailed" and isnotempty(RemoteUrl)
		| extend Domain = case(RemoteUrl contains "//", tostring(parse_url(RemoteUrl).Host),
			RemoteUrl)
		| where Domain in ("winatp-gw-eus.microsoft.com", "ctldl.windowsupdate.com",
			"us.vortex-win.data.microsoft.com")
		| summarize (Last, DeviceId) = arg_max(Timestamp, DeviceId), n = count(),
			m = dcount(DeviceId) by Domain`},
	{"argmax", `DeviceNetworkEvents | summarize arg_max(Timestamp, RemoteUrl) by DeviceId`},
	{"filter", `DeviceNetworkEvents | where RemotePort == 443
		| extend Host = tostring(parse_url(RemoteUrl).Host) | project Host, DeviceId`},
}

// BenchmarkQueries runs the benchmark queries over 200,000 rows in memory
// with one and with two workers.
func BenchmarkQueries(b *testing.B) {
	src := &benchSource{batches: benchBatches(200_000)}
	for _, q := range benchQueries {
		script, err := syntax.Parse(syntax.NewSource("q", q.query))
		if err != nil {
			b.Fatal(err)
		}
		query, err := sema.Analyze(script, benchCatalog{})
		if err != nil {
			b.Fatal(err)
		}
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", q.name, workers), func(b *testing.B) {
				for b.Loop() {
					_, err := Run(context.Background(), query.Result(),
						Options{Source: src, Context: &functions.Context{}, Workers: workers})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkGroupers numbers the groups of 200,000 rows by the keys of the
// benchmark queries with the specialized groupers and with the generic
// one (appendKey's bytes, as summarize did before).
func BenchmarkGroupers(b *testing.B) {
	batches := benchBatches(200_000)
	hour := int64(time.Hour / 100)
	hours := make([]*column.Vector, len(batches))
	for i, bt := range batches {
		v := column.New(types.Datetime, bt.N)
		for _, x := range bt.Cols[0].Int {
			v.Int = append(v.Int, x-x%hour)
		}
		hours[i] = v
	}
	keys := []struct {
		name string
		cols func(i int) []*column.Vector
	}{
		{"hour,action", func(i int) []*column.Vector {
			return []*column.Vector{hours[i], batches[i].Cols[1]}
		}},
		{"iptype,action", func(i int) []*column.Vector {
			return []*column.Vector{batches[i].Cols[3], batches[i].Cols[1]}
		}},
		{"device", func(i int) []*column.Vector { return []*column.Vector{batches[i].Cols[2]} }},
		{"action", func(i int) []*column.Vector { return []*column.Vector{batches[i].Cols[1]} }},
		{"hour", func(i int) []*column.Vector { return []*column.Vector{hours[i]} }},
	}
	ids := make([]int32, column.BatchSize)
	for _, k := range keys {
		var kt []types.Type
		for _, v := range k.cols(0) {
			kt = append(kt, v.Type)
		}
		for _, generic := range []bool{false, true} {
			name := k.name + "/typed"
			if generic {
				name = k.name + "/generic"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					g := newGrouper(kt)
					if generic {
						g = &bytesGrouper{m: map[string]int32{}}
					}
					for i, bt := range batches {
						g.assign(k.cols(i), bt.N, ids)
					}
				}
			})
		}
	}
}
