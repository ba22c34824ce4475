package source

import (
	"strings"
	"testing"
)

// storageDir is where Defender's Streaming API puts one hour of
// DeviceNetworkEvents in a Storage account.
const storageDir = "insights-logs-advancedhunting-devicenetworkevents/" +
	"tenantId=00000000-0000-0000-0000-000000000001/y=2025/m=05/d=07/h=16/m=00/"

// noCategory is a Storage blob line whose category is missing.
func noCategory(props string) string {
	return `{"time":"2025-05-07T16:16:31Z","tenantId":"t1","operationName":"Publish",` +
		`"properties":` + props + `}`
}

func TestStorageLayout(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		table string
		want  []string
	}{
		{"blob lines", map[string]string{
			storageDir + "PT1H.json": record("DeviceNetworkEvents", netRow1) + "\n" +
				record("DeviceNetworkEvents", netRow2) + "\n"},
			"DeviceNetworkEvents", []string{netOut1, netOut2}},
		{"line without category", map[string]string{
			storageDir + "PT1H.json": record("DeviceNetworkEvents", netRow1) + "\n" +
				noCategory(netRow2) + "\n"},
			"DeviceNetworkEvents", []string{netOut1, netOut2}},
		{"first line without category", map[string]string{
			storageDir + "PT1H.json": noCategory(netRow1) + "\n" +
				record("DeviceNetworkEvents", netRow2) + "\n"},
			"DeviceNetworkEvents", []string{netOut1, netOut2}},
		{"category after properties", map[string]string{
			storageDir + "PT1H.json": `{"properties":` + netRow1 + `}` + "\n" + `{"properties":` +
				netRow2 + `,"category":"AdvancedHunting-DeviceNetworkEvents"}`},
			"DeviceNetworkEvents", []string{netOut1, netOut2}},
		{"gzip, upper-case folder", map[string]string{
			strings.ToUpper(storageDir[:49]) + storageDir[49:] + "PT1H.json.gz": noCategory(netRow1)},
			"DeviceNetworkEvents", []string{netOut1}},
		{"extensionless blob", map[string]string{
			storageDir + "PT1H": noCategory(netRow1)},
			"DeviceNetworkEvents", []string{netOut1}},
		{"category wins over the folder", map[string]string{
			"insights-logs-advancedhunting-deviceinfo/y=2025/m=05/d=07/h=16/m=00/PT1H.json": record(
				"DeviceNetworkEvents", netRow1) + "\n" + noCategory(`{"DeviceName":"pc"}`)},
			"DeviceNetworkEvents", []string{netOut1}},
		{"log analytics data export", map[string]string{
			"am-devicenetworkevents/WorkspaceResourceId=/subscriptions/s/resourcegroups/g/" +
				"providers/microsoft.operationalinsights/workspaces/w/y=2025/m=05/d=07/h=16/" +
				"m=00/PT05M.json": netRow1 + "\n" + netRow2 + "\n"},
			"DeviceNetworkEvents", []string{netOut1, netOut2}},
		{"plain rows in the layout", map[string]string{
			storageDir + "PT1H.json": netRow1 + "\n" + netRow2},
			"DeviceNetworkEvents", []string{netOut1, netOut2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Scan([]string{writeFiles(t, tt.files)})
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, set, tt.table, netCols)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nexpected\n%s", strings.Join(got, "\n"),
					strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestStorageTable(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/data/insights-logs-advancedhunting-devicenetworkevents/y=2025/PT1H.json",
			"DeviceNetworkEvents"},
		{"INSIGHTS-LOGS-ADVANCEDHUNTING-DEVICEINFO/PT1H.json", "DeviceInfo"},
		{"insights-logs-advancedhunting-emailevents.json", "EmailEvents"},
		{"insights-logs-advancedhunting-a/insights-logs-advancedhunting-deviceevents/x.json",
			"DeviceEvents"},
		{"insights-logs-advancedhunting-/PT1H.json", ""},
		{"insights-logs-signinlogs/PT1H.json", ""},
		{"am-devicenetworkevents/WorkspaceResourceId=/subscriptions/x/y=2025/PT05M.json",
			"DeviceNetworkEvents"},
		{"am-securityevent/PT05M.json", "SecurityEvent"},
		{"am-notatable/PT05M.json", ""},
		{"y=2025/m=05/PT1H.json", ""},
	}
	for _, tt := range tests {
		if got := storageTable(tt.path); got != tt.want {
			t.Errorf("storageTable(%q) = %q, expected %q", tt.path, got, tt.want)
		}
	}
}
