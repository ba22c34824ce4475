package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Query is one benchmark query, written once in KQL for huntql and once in
// SQL for DuckDB so that both give the same rows.
type Query struct {
	// Name identifies the query in flags and the report.
	Name string
	// KQL is the query huntql runs; SQL the DuckDB equivalent. Both name the
	// tables as Defender does (DeviceNetworkEvents, DeviceProcessEvents);
	// for DuckDB these are views over the input being measured.
	KQL, SQL string
	// Tables lists the tables the query reads.
	Tables []string
	// Ordered names the column the result must be sorted by, descending
	// ("" when row order is free). Rows are compared as multisets either way,
	// since ties may come in any order; the order is checked separately.
	Ordered string
	// Approx lists columns computed by dcount, which estimates: DuckDB counts
	// exactly, and the two are compared within [ApproxTolerance].
	Approx []string
}

// The tables the benchmark generates.
const (
	networkTable = "DeviceNetworkEvents"
	processTable = "DeviceProcessEvents"
)

// seedHunt is the built-in hunt the product began from, read from the main
// module so the benchmark follows any change to it.
const seedHunt = "internal/hunts/queries/connectivity-failures-by-domain.kql"

// defenderEndpoints is the list of the seed hunt, for the SQL.
var defenderEndpoints = []string{
	"winatp-gw-eus.microsoft.com", "winatp-gw-cus.microsoft.com",
	"winatp-gw-weu.microsoft.com", "winatp-gw-neu.microsoft.com",
	"winatp-gw-uks.microsoft.com", "winatp-gw-ukw.microsoft.com",
	"winatp-gw-usgv.microsoft.com", "winatp-gw-usgt.microsoft.com",
	"us.vortex-win.data.microsoft.com", "eu.vortex-win.data.microsoft.com",
	"uk.vortex-win.data.microsoft.com", "events.data.microsoft.com",
	"us-v20.events.data.microsoft.com", "us4-v20.events.data.microsoft.com",
	"us5-v20.events.data.microsoft.com", "eu-v20.events.data.microsoft.com",
	"uk-v20.events.data.microsoft.com", "settings-win.data.microsoft.com",
	"ctldl.windowsupdate.com",
}

// urlHost is SQL for tostring(parse_url(RemoteUrl).Host): the host of a URL
// with a scheme, without user info or port; "" when the text is no such URL.
const urlHost = `regexp_extract(RemoteUrl,
        '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(\[[^\]/]*\]|[^/?#:]*)', 1)`

// hasAnyTerms are the terms of the has_any query. "enc" matches -enc but not
// -encodedcommand, "http" matches http.server but not https://: has matches
// whole terms (runs of ASCII letters and digits), ignoring case.
var hasAnyTerms = []string{"bypass", "hidden", "enc", "http", "rundll32", "webkit"}

// Queries returns the benchmark queries. root is the main module's root
// directory, where the seed hunt is read from.
func Queries(root string) ([]Query, error) {
	seed, err := os.ReadFile(filepath.Join(root, seedHunt))
	if err != nil {
		return nil, fmt.Errorf("reading the seed hunt: %w", err)
	}
	return []Query{
		{
			Name:    "seed",
			KQL:     string(seed),
			Tables:  []string{networkTable},
			Ordered: "DistinctMachines",
			Approx:  []string{"DistinctMachines"},
			SQL: `WITH f AS (
    SELECT Timestamp, DeviceName, DeviceId,
        CASE WHEN strpos(RemoteUrl, '//') > 0 THEN ` + urlHost + `
        ELSE RemoteUrl END AS Domain
    FROM DeviceNetworkEvents
    WHERE ActionType = 'ConnectionFailed' AND coalesce(RemoteUrl, '') <> '')
SELECT Domain, max(Timestamp) AS LastConnectionFailure,
    arg_max(DeviceName, Timestamp) AS DeviceName,
    count(*) AS ConnectionFailures,
    count(DISTINCT DeviceId) AS DistinctMachines
FROM f
WHERE Domain IN (` + sqlList(defenderEndpoints) + `)
GROUP BY Domain
ORDER BY DistinctMachines DESC`,
		},
		{
			Name:   "has_any",
			Tables: []string{networkTable},
			KQL: `DeviceNetworkEvents
| where InitiatingProcessCommandLine has_any (` + kqlList(hasAnyTerms) + `)
| summarize Connections = count() by InitiatingProcessFileName, InitiatingProcessCommandLine`,
			SQL: `SELECT InitiatingProcessFileName, InitiatingProcessCommandLine,
    count(*) AS Connections
FROM DeviceNetworkEvents
WHERE regexp_matches(InitiatingProcessCommandLine,
    '(^|[^A-Za-z0-9])(` + strings.Join(hasAnyTerms, "|") + `)($|[^A-Za-z0-9])', 'i')
GROUP BY ALL`,
		},
		{
			Name:   "bin",
			Tables: []string{networkTable},
			KQL:    `DeviceNetworkEvents | summarize count() by bin(Timestamp, 1h), ActionType`,
			SQL: `SELECT time_bucket(INTERVAL 1 HOUR, Timestamp) AS Timestamp, ActionType,
    count(*) AS count_
FROM DeviceNetworkEvents
GROUP BY ALL`,
		},
		{
			Name:   "join",
			Tables: []string{networkTable, processTable},
			KQL: `let Spawned = DeviceProcessEvents
    | where InitiatingProcessFileName in~ ("explorer.exe", "cmd.exe", "powershell.exe",
        "winword.exe")
    | project DeviceId, InitiatingProcessId = ProcessId, ProcessFileName = FileName
    | distinct DeviceId, InitiatingProcessId, ProcessFileName;
DeviceNetworkEvents
| where RemoteIPType == "Public"
| join kind=inner Spawned on DeviceId, InitiatingProcessId
| summarize Connections = count(), FirstSeen = min(Timestamp), LastSeen = max(Timestamp)
    by DeviceName, ProcessFileName`,
			SQL: `WITH Spawned AS (
    SELECT DISTINCT DeviceId, ProcessId AS InitiatingProcessId, FileName AS ProcessFileName
    FROM DeviceProcessEvents
    WHERE lower(InitiatingProcessFileName) IN
        ('explorer.exe', 'cmd.exe', 'powershell.exe', 'winword.exe'))
SELECT n.DeviceName, s.ProcessFileName, count(*) AS Connections,
    min(n.Timestamp) AS FirstSeen, max(n.Timestamp) AS LastSeen
FROM DeviceNetworkEvents n
JOIN Spawned s
    ON n.DeviceId = s.DeviceId AND n.InitiatingProcessId = s.InitiatingProcessId
WHERE n.RemoteIPType = 'Public'
GROUP BY ALL`,
		},
		{
			Name:   "mv-expand",
			Tables: []string{networkTable},
			KQL: `DeviceNetworkEvents
| where isnotempty(AdditionalFields)
| mv-expand Field = parse_json(AdditionalFields)
| extend Key = tostring(bag_keys(Field)[0])
| extend Value = tostring(Field[Key])
| summarize Rows = count() by ActionType, Key, Value`,
			SQL: `SELECT ActionType, Key,
    json_extract_string(AdditionalFields, '$.' || Key) AS Value, count(*) AS Rows
FROM (
    SELECT ActionType, AdditionalFields, unnest(json_keys(AdditionalFields)) AS Key
    FROM DeviceNetworkEvents
    WHERE coalesce(AdditionalFields, '') <> '')
GROUP BY ALL`,
		},
		{
			Name:   "distinct",
			Tables: []string{networkTable},
			KQL:    `DeviceNetworkEvents | where RemotePort == 443 | distinct DeviceId, DeviceName`,
			SQL: `SELECT DISTINCT DeviceId, DeviceName
FROM DeviceNetworkEvents
WHERE RemotePort = 443`,
		},
		{
			Name:   "dcount",
			Tables: []string{networkTable},
			Approx: []string{"Devices"},
			KQL: `DeviceNetworkEvents
| summarize Devices = dcount(DeviceId), Connections = count() by RemoteIPType, ActionType`,
			SQL: `SELECT RemoteIPType, ActionType, count(DISTINCT DeviceId) AS Devices,
    count(*) AS Connections
FROM DeviceNetworkEvents
GROUP BY ALL`,
		},
	}, nil
}

// sqlList returns ss as a list of SQL string literals.
func sqlList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}

// kqlList returns ss as a list of KQL string literals.
func kqlList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ", ")
}
