package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntql/huntql/internal/column"
)

// writeCompactCSV writes the rows writeCompactRows writes as CSV with a
// header, some cells quoted, and returns the directory.
func writeCompactCSV(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	var sb strings.Builder
	sb.WriteString("Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,RemoteUrl," +
		"LocalIP,LocalPort,Protocol,InitiatingProcessFileName,InitiatingProcessId," +
		"InitiatingProcessCommandLine,ReportId,AdditionalFields\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "2025-05-07T16:%02d:%02d.%07dZ,d%040d,host-%d.contoso.com,"+
			"ConnectionSuccess,10.1.%d.%d,%d,www.example%d.com,10.0.0.4,%d,Tcp,chrome.exe,%d,"+
			"\"\"\"chrome.exe\"\" --type=utility\",%d,\n",
			i/60%60, i%60, i%10_000_000, i%4, i%7, i%250, i%200, 443+i%3, i%100, 50000+i%1000,
			1000+i%50, i)
	}
	path := filepath.Join(dir, "DeviceNetworkEvents.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkCompactCSV reads CSV rows, all columns and three.
func BenchmarkCompactCSV(b *testing.B) {
	const n = 200_000
	set, err := Scan([]string{writeCompactCSV(b, n)})
	if err != nil {
		b.Fatal(err)
	}
	for _, cols := range [][]string{nil, {"Timestamp", "RemoteUrl", "RemotePort"}} {
		b.Run(fmt.Sprintf("cols=%d", len(cols)), func(b *testing.B) {
			rows := 0
			for b.Loop() {
				err := set.Read(context.Background(), "DeviceNetworkEvents", cols,
					func(bt *column.Batch) error {
						rows += bt.N
						return nil
					})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
