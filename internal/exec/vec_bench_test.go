package exec_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/exec"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/schema"
	"github.com/huntql/huntql/internal/sema"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// The benchmarks run filters and extends over 1M rows shaped like the
// generated DeviceNetworkEvents (five action types, about 250 remote URLs
// of which a quarter are empty and a quarter full URLs, 1000 devices), as
// plain string vectors and as vectors carrying the dictionaries of
// 128k-row groups, as the store's Parquet row groups give them.

const benchRows = 1 << 20

// benchQueries are the benchmarked queries: the seed hunt up to its
// summarize, the seed hunt whole, and single filters.
var benchQueries = []struct{ name, kql string }{
	{"seed-filter-extend", `DeviceNetworkEvents
| where ActionType == "ConnectionFailed" and isnotempty(RemoteUrl)
| extend Domain = case(RemoteUrl contains "//", tostring(parse_url(RemoteUrl).Host), RemoteUrl)
| where Domain in (dynamic(["winatp-gw-eus.microsoft.com", "us-v20.events.data.microsoft.com",
    "settings-win.data.microsoft.com", "ctldl.windowsupdate.com"]))
| project Timestamp, DeviceId, Domain`},
	{"seed", `DeviceNetworkEvents
| where ActionType == "ConnectionFailed" and isnotempty(RemoteUrl)
| extend Domain = case(RemoteUrl contains "//", tostring(parse_url(RemoteUrl).Host), RemoteUrl)
| where Domain in (dynamic(["winatp-gw-eus.microsoft.com", "us-v20.events.data.microsoft.com",
    "settings-win.data.microsoft.com", "ctldl.windowsupdate.com"]))
| summarize (Last, DeviceName) = arg_max(Timestamp, DeviceName), n = count(),
    d = dcount(DeviceId) by Domain`},
	{"extend-all-rows", `DeviceNetworkEvents
| extend Domain = case(RemoteUrl contains "//", tostring(parse_url(RemoteUrl).Host), RemoteUrl)
| project Domain`},
	{"where-port", `DeviceNetworkEvents
| where RemotePort == 443 and Timestamp > datetime(2025-05-01)`},
	{"where-has", `DeviceNetworkEvents
| where RemoteUrl has "microsoft" or DeviceName startswith "ws-01"`},
	{"extend-bin", `DeviceNetworkEvents | project h = bin(Timestamp, 1h), p = RemotePort + 1`},
}

type memSource struct {
	schema  column.Schema
	batches []*column.Batch
}

func (s *memSource) Read(_ context.Context, _ string, cols []string,
	fn func(*column.Batch) error,
) error {
	for _, b := range s.batches {
		out := &column.Batch{Cols: make([]*column.Vector, len(cols)), N: b.N}
		for k, name := range cols {
			i := s.schema.Index(name)
			if i < 0 {
				full, _ := schema.Lookup("DeviceNetworkEvents")
				out.Cols[k] = column.Null(full[full.Index(name)].Type, b.N)
				continue
			}
			out.Cols[k] = b.Cols[i]
		}
		if err := fn(out); err != nil {
			return err
		}
	}
	return nil
}

var benchSchema = column.Schema{
	{Name: "Timestamp", Type: types.Datetime}, {Name: "DeviceId", Type: types.String},
	{Name: "DeviceName", Type: types.String}, {Name: "ActionType", Type: types.String},
	{Name: "RemoteUrl", Type: types.String}, {Name: "RemotePort", Type: types.Int},
}

// benchBatches makes the rows, with dictionaries per group of 32 batches
// when dict is set.
func benchBatches(dict bool) []*column.Batch {
	rng := rand.New(rand.NewPCG(5, 5))
	actions := []string{"ConnectionSuccess", "InboundConnectionAccepted",
		"ListeningConnectionCreated", "ConnectionFailed", "ConnectionAttempt"}
	weights := []int{79, 9, 5, 4, 3}
	var urls []string
	for i := 0; i < 250; i++ {
		host := fmt.Sprintf("host%d.example%d.com", i, i%7)
		switch {
		case i < 4:
			host = []string{"winatp-gw-eus.microsoft.com", "us-v20.events.data.microsoft.com",
				"settings-win.data.microsoft.com", "ctldl.windowsupdate.com"}[i]
		case i%9 == 0:
			host = fmt.Sprintf("fe%d.delivery.mp.microsoft.com", i)
		}
		if i%3 == 0 {
			host = fmt.Sprintf("https://%s:443/path/%d?q=%d", host, i, i)
		}
		urls = append(urls, host)
	}
	start, _ := types.ParseDatetime("2025-04-28")
	var out []*column.Batch
	for lo := 0; lo < benchRows; lo += column.BatchSize {
		b := column.NewBatch(benchSchema, column.BatchSize)
		for i := lo; i < lo+column.BatchSize; i++ {
			b.Cols[0].Append(start + types.Date(int64(i)*10*int64(types.Second)))
			dev := rng.IntN(1000)
			b.Cols[1].Append(fmt.Sprintf("%040x", dev*7919))
			b.Cols[2].Append(fmt.Sprintf("ws-%04d.contoso.local", dev))
			w := rng.IntN(100)
			a := 0
			for ; w >= weights[a]; a++ {
				w -= weights[a]
			}
			b.Cols[3].Append(actions[a])
			if rng.IntN(4) == 0 {
				b.Cols[4].Append("")
			} else {
				b.Cols[4].Append(urls[rng.IntN(len(urls))])
			}
			b.Cols[5].Append(int32([]int{443, 80, 53, 445, 8080}[rng.IntN(5)]))
		}
		b.N = column.BatchSize
		out = append(out, b)
	}
	if dict {
		const group = 32
		for g := 0; g < len(out); g += group {
			end := min(g+group, len(out))
			for _, c := range []int{1, 2, 3, 4} {
				index := map[string]int32{}
				var values []string
				for _, b := range out[g:end] {
					for _, s := range b.Cols[c].Str {
						if _, ok := index[s]; !ok {
							index[s] = int32(len(values))
							values = append(values, s)
						}
					}
				}
				for _, b := range out[g:end] {
					v := b.Cols[c]
					v.Dict = values
					v.Codes = make([]int32, len(v.Str))
					for i, s := range v.Str {
						v.Codes[i] = index[s]
					}
				}
			}
		}
	}
	return out
}

type benchCatalog struct{}

func (benchCatalog) Table(name string) (column.Schema, bool) { return schema.Lookup(name) }
func (benchCatalog) Tables() []string {
	return []string{"DeviceNetworkEvents"}
}

func BenchmarkFilterExtend(b *testing.B) {
	for _, dict := range []bool{false, true} {
		src := &memSource{schema: benchSchema, batches: benchBatches(dict)}
		for _, q := range benchQueries {
			name := q.name + "/plain"
			if dict {
				name = q.name + "/dict"
			}
			b.Run(name, func(b *testing.B) {
				script, err := syntax.Parse(syntax.NewSource("bench", q.kql))
				if err != nil {
					b.Fatal(err)
				}
				an, err := sema.Analyze(script, benchCatalog{})
				if err != nil {
					b.Fatal(err)
				}
				p := plan.Prune(an.Result())
				b.ResetTimer()
				for range b.N {
					_, err := exec.Run(context.Background(), p, exec.Options{Source: src})
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
			})
		}
	}
}
