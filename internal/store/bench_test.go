//go:build unix

package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/gen"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// cpuTime returns the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIngest ingests a week of generated JSON lines telemetry
// (HUNTQL_BENCH_ROWS DeviceNetworkEvents rows, default 100000, with the
// other tables) into a new store and reports the throughput in source
// MB/s and records/s, the store's size as a share of the source JSON, and
// what a query for one hour of the week read and skipped, as ingested and
// after compacting.
//
//	go test -bench Ingest -benchtime 3x ./internal/store
func BenchmarkIngest(b *testing.B) {
	rows := 100000
	if s := os.Getenv("HUNTQL_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("HUNTQL_BENCH_ROWS=%q: expected a number", s)
		}
		rows = n
	}
	src := b.TempDir()
	generate(b, src, "--devices", "200", "--rows", strconv.Itoa(rows), "--span", "168h")
	var srcBytes int64
	entries, _ := os.ReadDir(src)
	for _, e := range entries {
		info, _ := e.Info()
		srcBytes += info.Size()
	}
	b.SetBytes(srcBytes)
	var sum *Summary
	var dir string
	cpu0 := cpuTime()
	for b.Loop() {
		dir = filepath.Join(b.TempDir(), "store")
		w, err := OpenWriter(dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		sum, err = w.Ingest(context.Background(), []string{src}, IngestOptions{})
		w.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(sum.Read)/perOp, "records/s")
	// On a shared machine the wall clock says little: throughput per
	// second of CPU (user and system) is steadier.
	cpuPerOp := (cpuTime() - cpu0).Seconds() / float64(b.N)
	b.ReportMetric(float64(srcBytes)/1e6/cpuPerOp, "MB/cpu-s")
	snap, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, t := range snap.Info().Tables {
		size += t.Bytes
	}
	b.ReportMetric(100*float64(size)/float64(srcBytes), "%size")

	hour := func(snap *Snapshot, suffix string) {
		lo := types.DateFromTime(gen.DefaultStart.Add(50 * time.Hour))
		hi := types.DateFromTime(gen.DefaultStart.Add(51 * time.Hour))
		bounds := []plan.Bound{{Column: "Timestamp", Lo: lo, Hi: hi, LoIncl: true}}
		err := snap.ReadBounded(context.Background(), "DeviceNetworkEvents",
			[]string{"Timestamp", "DeviceName"}, bounds,
			func(*column.Batch) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		st := snap.Stats()
		b.ReportMetric(float64(st.FilesSkipped.Load()), "files-skipped"+suffix)
		b.ReportMetric(float64(st.Files.Load()), "files"+suffix)
		b.ReportMetric(float64(st.RowGroupsSkipped.Load()), "rowgroups-skipped"+suffix)
		b.ReportMetric(float64(st.RowGroups.Load()), "rowgroups"+suffix)
	}
	hour(snap, "")
	// Compacted: one file a day, whose row groups prune within the day.
	w, err := OpenWriter(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	_, _, err = w.Compact()
	w.Close()
	if err != nil {
		b.Fatal(err)
	}
	if snap, err = Open(dir); err != nil {
		b.Fatal(err)
	}
	hour(snap, "-compacted")
}
