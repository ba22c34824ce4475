package source

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// laExport is a Log Analytics export of a union of two tables, as the
// portal names it: the Type column says each row's table.
const laExport = "\ufeffTenantId,\"TimeGenerated [UTC]\",\"Timestamp [UTC]\",DeviceName," +
	"RemotePort,RemoteUrl,Type\n" +
	"t1,\"5/7/2025, 4:16:31.000 PM\",\"5/7/2025, 4:16:30.224 PM\",pc1,443,example.org," +
	"DeviceNetworkEvents\n" +
	"t1,\"5/7/2025, 4:20:00.000 PM\",\"5/7/2025, 4:19:59.1234567 PM\",pc1,,,DeviceInfo\n" +
	"t1,\"5/7/2025, 12:00:00 AM\",\"10/25/2023, 9:43:21.994 AM\",pc2,8080,\"a,b\"," +
	"devicenetworkevents\n"

func TestLogAnalyticsCSV(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		table string
		cols  []string
		want  []string
	}{
		{"typed export, network rows", map[string]string{"query_data.csv": laExport},
			"DeviceNetworkEvents", []string{"Timestamp", "TimeGenerated", "RemotePort", "RemoteUrl"},
			[]string{
				`2025-05-07T16:16:30.2240000Z|2025-05-07T16:16:31.0000000Z|443|"example.org"`,
				`2023-10-25T09:43:21.9940000Z|2025-05-07T00:00:00.0000000Z|8080|"a,b"`}},
		{"typed export, info rows", map[string]string{"query_data.csv.gz": laExport},
			"DeviceInfo", []string{"Timestamp", "DeviceName", "Type"},
			[]string{`2025-05-07T16:19:59.1234567Z|"pc1"|"DeviceInfo"`}},
		{"named after its table", map[string]string{
			"DeviceNetworkEvents.csv": "\"Timestamp [UTC]\",RemotePort,Type\n" +
				"\"5/7/2025, 4:16:30.224 PM\",443,DeviceInfo\n"},
			"DeviceNetworkEvents", []string{"Timestamp", "RemotePort", "Type"},
			[]string{`2025-05-07T16:16:30.2240000Z|443|"DeviceInfo"`}},
		{"other time zone", map[string]string{
			"DeviceInfo.csv": "\"Timestamp [UTC+02:00]\",\"TimeGenerated [UTC-5]\"\n" +
				"\"5/7/2025, 6:16:30 PM\",\"5/7/2025, 11:16:30 AM\"\n,\n"},
			"DeviceInfo", []string{"Timestamp", "TimeGenerated"},
			[]string{`2025-05-07T16:16:30.0000000Z|2025-05-07T16:16:30.0000000Z`, `null|null`}},
		{"advanced hunting export", map[string]string{
			"DeviceNetworkEvents.csv": "Timestamp,RemotePort\n2025-05-07T16:16:30.2240099Z,443\n" +
				"\"May 7, 2025 4:16:30 PM\",1\n\"May 7, 2025, 4:16:30 AM\",2\n"},
			"DeviceNetworkEvents", []string{"Timestamp", "RemotePort"},
			[]string{`2025-05-07T16:16:30.2240099Z|443`, `2025-05-07T16:16:30.0000000Z|1`,
				`2025-05-07T04:16:30.0000000Z|2`}},
		{"type of another meaning", map[string]string{
			"Inventory.csv": "Name,Type\nx,file\ny,DeviceInfo\n"},
			"Inventory", []string{"Name", "Type"}, []string{`"x"|"file"`}},
		{"custom log type", map[string]string{
			"query_data.csv": "Name,Type\nx,MyApp_CL\n"},
			"MyApp_CL", []string{"Name"}, []string{`"x"`}},
		{"zone-like bracket of another meaning", map[string]string{
			"Sizes.csv": "Size [bytes]\n12\n"},
			"Sizes", []string{"Size [bytes]"}, []string{`"12"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectRows(t, tt.files, tt.table, tt.cols, tt.want)
		})
	}
}

func TestLogAnalyticsCSVSchema(t *testing.T) {
	set, err := Scan([]string{writeFiles(t, map[string]string{
		"query_data.csv": laExport,
		"Custom.csv":     "\"Seen [UTC]\",Name\n\"5/7/2025, 4:16:31 PM\",x\n",
	})})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(set.Tables(), ","); got != "Custom,DeviceInfo,DeviceNetworkEvents" {
		t.Fatalf("tables %s", got)
	}
	info := set.Schema("DeviceInfo")
	// The info row has no RemotePort or RemoteUrl: those stay out of its schema.
	for _, c := range []string{"RemotePort", "RemoteUrl"} {
		if info.Index(c) >= 0 {
			t.Errorf("DeviceInfo has column %s, empty in all its rows", c)
		}
	}
	if i := info.Index("TimeGenerated"); i < 0 || info[i].Type != types.Datetime {
		t.Errorf("DeviceInfo TimeGenerated: %v", info)
	}
	custom := set.Schema("Custom")
	if i := custom.Index("Seen"); i < 0 || custom[i].Type != types.Datetime {
		t.Errorf("a [UTC] column of a custom table is not datetime: %v", custom)
	}
	rows, err := readAll(t, set, "Custom", nil)
	if err != nil || len(rows) != 1 || rows[0] != `2025-05-07T16:16:31.0000000Z|"x"` {
		t.Errorf("Custom rows %v, %v", rows, err)
	}
}

func TestCSVExportErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		table string
		want  string
		is    error
	}{
		{"local time", map[string]string{
			"DeviceInfo.csv": "DeviceName,\"Timestamp [Local Time]\"\npc,\"5/7/2025, 4:16:30 PM\"\n"},
			"DeviceInfo", `DeviceInfo.csv:1: column Timestamp [Local Time]: expected times in UTC ` +
				`([UTC] or [UTC+hh:mm]), found "[Local Time]", whose offset the file does not say; ` +
				`export again with the portal's time zone set to UTC`, ErrBadRecord},
		{"bad zone", map[string]string{
			"DeviceInfo.csv": "\"Timestamp [UTC+25]\"\n"},
			"DeviceInfo", `DeviceInfo.csv:1: column Timestamp [UTC+25]: expected a time zone ` +
				`like [UTC] or [UTC+02:00], found "[UTC+25]"`, ErrBadRecord},
		{"bad time", map[string]string{
			"DeviceInfo.csv": "DeviceName,\"Timestamp [UTC]\"\npc,\"5/7/2025, 4:16:30 PM\"\n" +
				"pc,\"13/7/2025, 4:16:30 PM\"\n"},
			"DeviceInfo", `DeviceInfo.csv:3: column Timestamp [UTC]: expected datetime, ` +
				`found "13/7/2025, 4:16:30 PM"`, ErrBadValue},
		{"wrong field count in a typed export", map[string]string{
			"query_data.csv": "DeviceName,Type\npc,DeviceInfo\npc,DeviceInfo,extra\n"},
			"DeviceInfo", `query_data.csv:3: expected 2 fields as in the header, found 3`,
			ErrMalformed},
		{"wrong field count", map[string]string{
			"DeviceInfo.csv": "DeviceName,OSPlatform\r\n\"a\",b\r\n\r\n\"c\r\nd\"\r\n"},
			"DeviceInfo", `DeviceInfo.csv:4: expected 2 fields as in the header, found 1`,
			ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readErr(t, writeFiles(t, tt.files), tt.table)
			expectDataError(t, got, err, tt.want, tt.is)
		})
	}
}

// TestUSDateAgreesWithKusto checks the fast path for Log Analytics
// datetimes against types.ParseDatetime on random times and near misses.
func TestUSDateAgreesWithKusto(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		tm := time.Date(1900+rng.Intn(200), time.Month(1+rng.Intn(12)), 1+rng.Intn(28),
			rng.Intn(24), rng.Intn(60), rng.Intn(60), 0, time.UTC)
		s := tm.Format("1/2/2006, 3:04:05 PM")
		if rng.Intn(2) == 0 {
			s = strings.Replace(s, ",", "", 1)
		}
		if n := rng.Intn(8); n > 0 {
			frac := fmt.Sprintf("%07d", rng.Intn(10_000_000))[:n]
			s = strings.Replace(s, " AM", "."+frac+" AM", 1)
			s = strings.Replace(s, " PM", "."+frac+" PM", 1)
		}
		fast, ok1 := parseUSDate([]byte(s))
		slow, ok2 := types.ParseDatetime(s)
		if !ok1 || !ok2 || fast != slow {
			t.Fatalf("%q: fast %v %v, kusto %v %v", s, fast, ok1, slow, ok2)
		}
	}
	for _, s := range []string{"13/1/2025, 1:00:00 PM", "2/30/2025, 1:00:00 PM",
		"1/1/2025, 13:00:00 PM", "1/1/2025, 0:00:00 AM", "1/1/2025, 1:00:00 XM",
		"1/1/2025, 1:00:00", "1/1/25, 1:00:00 PM", "1/1/2025, 1:00:00.12345678 PM",
		"1/1/2025, 1:0:00 PM", "1/1/2025,, 1:00:00 PM", "1/1/2025, 1:00:00 PMX"} {
		if d, ok := parseUSDate([]byte(s)); ok {
			t.Errorf("%q: parsed as %v", s, d)
		}
	}
}

// BenchmarkLogAnalyticsCSV reads a Log Analytics export of 100,000
// network events (two [UTC] datetime columns a row), all columns.
func BenchmarkLogAnalyticsCSV(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("TenantId,\"TimeGenerated [UTC]\",\"Timestamp [UTC]\",DeviceId,DeviceName," +
		"ActionType,RemoteIP,RemotePort,RemoteUrl,LocalPort,Protocol,ReportId,Type\n")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&sb, "t1,\"5/7/2025, %d:%02d:%02d.%03d PM\",\"5/7/2025, %d:%02d:%02d.%03d PM\","+
			"d%d,host-%d.contoso.com,ConnectionSuccess,10.1.%d.%d,%d,www.example%d.com,%d,Tcp,%d,"+
			"DeviceNetworkEvents\n", 1+i%12, i/60%60, i%60, i%1000, 1+i%12, i/60%60, i%60, i%1000,
			i%40, i%40, i%250, i%200, 443+i%3, i%100, 50000+i%1000, i)
	}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "query_data.csv"), []byte(sb.String()),
		0o644); err != nil {
		b.Fatal(err)
	}
	set, err := Scan([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	rows := 0
	for b.Loop() {
		err := set.Read(context.Background(), "DeviceNetworkEvents", nil,
			func(bt *column.Batch) error {
				rows += bt.N
				return nil
			})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
