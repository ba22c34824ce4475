package source

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hamba/avro/v2/ocf"
)

// exampleCols are the columns every example in testdata/exports fills.
var exampleCols = []string{"Timestamp", "DeviceId", "DeviceName", "ActionType", "RemoteIP",
	"RemotePort", "RemoteUrl", "LocalPort", "Protocol", "ReportId", "AdditionalFields"}

// TestExportExamplesAgree reads the same rows from each export format in
// testdata/exports, and from a capture file made of the Storage lines,
// and expects identical values.
func TestExportExamplesAgree(t *testing.T) {
	storage := filepath.Join("testdata", "exports", "storage")
	blobs, err := filepath.Glob(filepath.Join(storage, "*", "*", "*", "*", "*", "*", "*",
		"PT1H.json"))
	if err != nil || len(blobs) != 1 {
		t.Fatalf("storage blob: %v %v", blobs, err)
	}
	f, err := os.Open(blobs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var bodies [][]byte
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, `"category"`) { // capture needs the category
			line = strings.Replace(line, `"properties"`,
				`"category":"AdvancedHunting-DeviceNetworkEvents","properties"`, 1)
		}
		bodies = append(bodies, message(line))
	}
	capture := writeFiles(t, map[string]string{
		"ns/hub/0/2025/05/07/16/15/00.avro": string(captureFile(t, ocf.Snappy, 2, bodies...))})

	var want []string
	for _, dir := range []string{storage, capture, filepath.Join("testdata", "exports",
		"loganalytics"), filepath.Join("testdata", "exports", "advancedhunting")} {
		set, err := Scan([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		got, err := readAll(t, set, "DeviceNetworkEvents", exampleCols)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Fatalf("%s: %d rows, expected 3:\n%s", dir, len(got), strings.Join(got, "\n"))
		}
		if want == nil {
			want = got
			continue
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s reads\n%s\nexpected (as the storage blob)\n%s", dir,
				strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	la, err := Scan([]string{filepath.Join("testdata", "exports", "loganalytics")})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readAll(t, la, "DeviceInfo", []string{"Timestamp", "DeviceName", "OSPlatform"})
	if err != nil || strings.Join(rows, "\n") !=
		`2025-05-07T16:29:59.0000000Z|"pc1.contoso.test"|"Windows11"` {
		t.Errorf("DeviceInfo from the Log Analytics export: %v %v", rows, err)
	}
}
