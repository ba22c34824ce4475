package bench

import (
	"fmt"
	"io"
	"sort"
	"syscall"
	"time"
)

// Median returns the median of ds, 0 for none.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func maxRSS(rs []int64) int64 {
	var m int64
	for _, r := range rs {
		m = max(m, r)
	}
	return m
}

// WriteTable writes a Markdown table of the results: one row per query and
// input, huntql's and DuckDB's median wall time, median CPU time and peak
// memory (the largest of the runs), and huntql's wall and CPU times as
// multiples of DuckDB's on the input's baseline (the same file, or Parquet
// for the store). A query whose results differ is marked in its last column.
func WriteTable(w io.Writer, results []*Result, mismatches []Mismatch) {
	bad := map[string]bool{}
	for _, m := range mismatches {
		bad[m.Query+" "+m.Target.String()] = true
	}
	get := map[string]*Result{}
	var queries []string
	seenQ := map[string]bool{}
	seenIn := map[Input]bool{}
	for _, r := range results {
		get[r.Query.Name+" "+r.Target.String()] = r
		if !seenQ[r.Query.Name] {
			seenQ[r.Query.Name] = true
			queries = append(queries, r.Query.Name)
		}
		seenIn[r.Target.Input] = true
	}
	fmt.Fprintln(w, "| query | input | huntql | cpu | peak | DuckDB | cpu | peak | "+
		"huntql/DuckDB | cpu ratio | rows | check |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
	for _, q := range queries {
		for _, in := range Inputs {
			if !seenIn[in] {
				continue
			}
			h := get[q+" "+Target{Huntql, in}.String()]
			d := get[q+" "+Target{DuckDB, in}.String()]
			if h == nil && d == nil {
				continue
			}
			base := get[q+" "+Target{DuckDB, Baseline(in)}.String()]
			ratio, cpuRatio := "-", "-"
			if h != nil && base != nil && len(h.Wall) > 0 && len(base.Wall) > 0 {
				ratio = fmt.Sprintf("%.2fx", Median(h.Wall).Seconds()/Median(base.Wall).Seconds())
				cpuRatio = fmt.Sprintf("%.2fx", Median(h.CPU).Seconds()/Median(base.CPU).Seconds())
				if Baseline(in) != in {
					ratio += " (vs " + string(Baseline(in)) + ")"
				}
			}
			rows, check := "", "-"
			for _, r := range []*Result{h, d} {
				if r == nil || r.Output == nil {
					continue
				}
				if rows == "" {
					rows, check = fmt.Sprint(len(r.Output)-1), "ok"
				}
				if bad[q+" "+r.Target.String()] {
					check = "MISMATCH " + string(r.Engine())
				}
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				q, in, timeCell(h), cpuCell(h), memCell(h), timeCell(d), cpuCell(d), memCell(d),
				ratio, cpuRatio, rows, check)
		}
	}
}

// Engine returns the engine of r's target.
func (r *Result) Engine() Engine { return r.Target.Engine }

func timeCell(r *Result) string {
	switch {
	case r == nil:
		return "-"
	case len(r.Wall) == 0 && r.Err == ErrNoStore:
		return "n/a"
	case len(r.Wall) == 0:
		return "failed"
	}
	return fmt.Sprintf("%.3f s", Median(r.Wall).Seconds())
}

func cpuCell(r *Result) string {
	if r == nil || len(r.CPU) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f s", Median(r.CPU).Seconds())
}

func memCell(r *Result) string {
	if r == nil || len(r.RSS) == 0 {
		return "-"
	}
	if m := maxRSS(r.RSS); m > r.Floor {
		return fmt.Sprintf("%d MB", m>>20)
	}
	return fmt.Sprintf("<= %d MB", r.Floor>>20)
}

// SelfPeak returns this process's own peak resident memory in bytes. The
// kernel reports a child's peak as at least this, taken when the child
// starts (the child begins life in its parent's memory until it execs).
func SelfPeak() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss * 1024
}
