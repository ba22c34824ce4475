package exec

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// benchJoinInputs makes the probe and build sides of BenchmarkJoin: probe
// rows of network events (DeviceId, InitiatingProcessId, Timestamp,
// DeviceName) and build rows of processes (DeviceId, InitiatingProcessId,
// FileName), 1000 devices with 10 processes each on the build side and
// process ids drawn from 20 on the probe side, so that about half the probe
// rows match one build row.
func benchJoinInputs(probeRows int) (probe, build []*column.Batch, ls, rs column.Schema) {
	ls = column.Schema{{Name: "DeviceId", Type: types.String},
		{Name: "InitiatingProcessId", Type: types.Long},
		{Name: "Timestamp", Type: types.Datetime}, {Name: "DeviceName", Type: types.String}}
	rs = column.Schema{{Name: "DeviceId", Type: types.String},
		{Name: "InitiatingProcessId", Type: types.Long},
		{Name: "ProcessFileName", Type: types.String}}
	const devices, procs = 1000, 10
	ids := make([]string, devices)
	for i := range ids {
		ids[i] = fmt.Sprintf("%040x", uint64(i)*0x9e3779b97f4a7c15)
	}
	files := []string{"cmd.exe", "powershell.exe", "chrome.exe", "svchost.exe"}
	b := column.NewBatch(rs, devices*procs)
	for d := range devices {
		for p := range procs {
			b.Cols[0].Append(ids[d])
			b.Cols[1].Append(int64(1000 + p*7))
			b.Cols[2].Append(files[(d+p)%len(files)])
			b.N++
		}
	}
	build = split(b)
	rng := rand.New(rand.NewPCG(7, 11))
	for start := 0; start < probeRows; start += column.BatchSize {
		n := min(column.BatchSize, probeRows-start)
		pb := column.NewBatch(ls, n)
		for range n {
			d := rng.IntN(devices)
			pb.Cols[0].Append(ids[d])
			pb.Cols[1].Append(int64(1000 + rng.IntN(2*procs)*7))
			pb.Cols[2].Append(types.Date(int64(start)))
			pb.Cols[3].Append("host-" + ids[d][:6])
			pb.N++
		}
		probe = append(probe, pb)
	}
	return probe, build, ls, rs
}

// BenchmarkJoin joins 1M probe rows to 10k build rows on a string and a
// long key, by the specialized key path and by the generic one.
func BenchmarkJoin(b *testing.B) {
	probe, build, ls, rs := benchJoinInputs(1 << 20)
	for _, kind := range []plan.JoinKind{plan.Inner, plan.InnerUnique, plan.LeftOuter} {
		n := &plan.Join{Left: &plan.Values{Out: ls}, Right: &plan.Values{Out: rs}, Kind: kind,
			LeftKeys: []int{0, 1}, RightKeys: []int{0, 1}}
		n.Out = append(append(column.Schema(nil), ls...), rs...)
		for _, generic := range []bool{false, true} {
			name := string(kind)
			if generic {
				name += "/generic"
			}
			b.Run(name, func(b *testing.B) {
				benchJoin(b, n, probe, build, generic)
			})
		}
	}
}

func benchJoin(b *testing.B, n *plan.Join, probe, build []*column.Batch, generic bool) {
	b.ReportAllocs()
	for b.Loop() {
		op := newJoinOp(n, &batchOp{batches: probe}, &batchOp{batches: build}, generic)
		rows := 0
		for {
			out, err := op.next()
			if err != nil {
				b.Fatal(err)
			}
			if out == nil {
				break
			}
			rows += out.N
		}
		op.close()
		if rows == 0 {
			b.Fatal("no rows")
		}
	}
}
