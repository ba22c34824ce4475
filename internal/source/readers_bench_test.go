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

// writeWideRows writes n JSON lines shaped like full Defender network event
// exports (every column of the table, most of them empty or null, about
// 1.6 KB a row) and returns the directory.
func writeWideRows(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	actions := []string{"ConnectionSuccess", "ConnectionFailed", "InboundConnectionAccepted",
		"ConnectionAttempt", "ListeningConnectionCreated"}
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, `{"Timestamp":"2025-05-07T%02d:%02d:%02d.%07dZ",`+
			`"DeviceId":"%040x","DeviceName":"host-%d.contoso.local","ActionType":"%s",`+
			`"RemoteIP":"10.31.%d.%d","RemotePort":%d,"RemoteUrl":"%s","LocalIP":"10.32.0.%d",`+
			`"LocalPort":%d,"Protocol":"Tcp","LocalIPType":"Private","RemoteIPType":"Private",`+
			`"InitiatingProcessSHA1":"","InitiatingProcessSHA256":"","InitiatingProcessMD5":"",`+
			`"InitiatingProcessFileName":"svchost.exe","InitiatingProcessFileSize":null,`+
			`"InitiatingProcessVersionInfoCompanyName":"","InitiatingProcessVersionInfoProductName":"",`+
			`"InitiatingProcessVersionInfoProductVersion":"",`+
			`"InitiatingProcessVersionInfoInternalFileName":"",`+
			`"InitiatingProcessVersionInfoOriginalFileName":"",`+
			`"InitiatingProcessVersionInfoFileDescription":"","InitiatingProcessId":%d,`+
			`"InitiatingProcessCommandLine":"svchost.exe -k netsvcs -p -s \"Schedule\"",`+
			`"InitiatingProcessCreationTime":"2025-05-04T09:40:21.1903767Z",`+
			`"InitiatingProcessFolderPath":"c:\\windows\\system32\\svchost.exe",`+
			`"InitiatingProcessParentFileName":"services.exe","InitiatingProcessParentId":%d,`+
			`"InitiatingProcessParentCreationTime":null,"InitiatingProcessAccountDomain":"nt authority",`+
			`"InitiatingProcessAccountName":"system","InitiatingProcessAccountSid":"S-1-5-18",`+
			`"InitiatingProcessAccountUpn":"","InitiatingProcessAccountObjectId":"",`+
			`"InitiatingProcessIntegrityLevel":"System",`+
			`"InitiatingProcessTokenElevation":"TokenElevationTypeDefault","ReportId":%d,`+
			`"AppGuardContainerId":"","AdditionalFields":%s,"InitiatingProcessSessionId":0,`+
			`"IsInitiatingProcessRemoteSession":false,"InitiatingProcessRemoteSessionDeviceName":"",`+
			`"InitiatingProcessRemoteSessionIP":"","InitiatingProcessUniqueId":"%d","LogonID":999}`+
			"\n",
			i/3600%24, i/60%60, i%60, i*7919%10_000_000, i%977*104729, i%300,
			actions[i*31%len(actions)], i%250, i%200, 443+i%3,
			[]string{"dc01.contoso.local", "", "winatp-gw-eus.microsoft.com",
				"https://settings-win.data.microsoft.com:443/x"}[i%4], i%200, 50000+i%1000,
			1000+i%50, 600+i%7, i, []string{"null", `{"a":[1,{"b":"}"}],"c":"\\"}`}[i%2],
			281474980904964+i%100)
	}
	path := filepath.Join(dir, "DeviceNetworkEvents.jsonl")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkWideRows reads full-width JSON lines, in parallel chunks: the
// columns of the seed hunt, of a summarize by bin(Timestamp) and
// ActionType, and all of them.
func BenchmarkWideRows(b *testing.B) {
	const n = 40_000
	set, err := Scan([]string{writeWideRows(b, n)})
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cols []string
	}{
		{"seed", []string{"ActionType", "RemoteUrl", "Timestamp", "DeviceName", "DeviceId"}},
		{"bin", []string{"Timestamp", "ActionType"}},
		{"all", nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			rows := 0
			for b.Loop() {
				err := set.Read(context.Background(), "DeviceNetworkEvents", tc.cols,
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

// BenchmarkJSONLinesFile reads the JSON lines file $HUNTQL_BENCH_JSONL (a
// DeviceNetworkEvents export), skipped when unset: the columns of the seed
// hunt, and of a summarize by bin(Timestamp) and ActionType.
func BenchmarkJSONLinesFile(b *testing.B) {
	path := os.Getenv("HUNTQL_BENCH_JSONL")
	if path == "" {
		b.Skip("HUNTQL_BENCH_JSONL not set")
	}
	dir := b.TempDir()
	link := filepath.Join(dir, "DeviceNetworkEvents.jsonl")
	if err := os.Symlink(path, link); err != nil {
		b.Fatal(err)
	}
	set, err := Scan([]string{link})
	if err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cols []string
	}{
		{"seed", []string{"ActionType", "RemoteUrl", "Timestamp", "DeviceName", "DeviceId"}},
		{"bin", []string{"Timestamp", "ActionType"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(info.Size())
			rows := 0
			for b.Loop() {
				err := set.Read(context.Background(), "DeviceNetworkEvents", tc.cols,
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
