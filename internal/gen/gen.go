// Package gen generates synthetic Microsoft Defender for Endpoint telemetry
// for tests, examples and benchmarks: DeviceNetworkEvents (the bulk),
// DeviceInfo, DeviceNetworkInfo and DeviceProcessEvents, with the columns
// and types of the Advanced Hunting schema.
//
// Output is a pure function of Options: the same options give the same
// bytes on every platform and Go release. Rows are written as they are
// generated, so ten million rows need no more memory than ten.
//
// The data imitates a mid-sized tenant: thousands of Windows workstations,
// laptops and servers with a few Linux and macOS machines, ordinary web,
// SaaS and intranet traffic, and the sensor's own traffic to the Defender
// cloud endpoints, which some devices (behind a broken proxy, or flaky)
// fail to reach. Remote URLs come bare, as URLs with scheme and path, or
// with ports; many connections have no URL at all. Timestamps tie across
// devices now and then, and some columns are null or missing.
package gen

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/huntql/huntql/internal/column"
)

// Format is an output format.
type Format string

// The output formats.
const (
	// JSONLines writes one JSON object per row and line (.jsonl).
	JSONLines Format = "jsonl"
	// JSON writes one JSON array of row objects, one object a line (.json).
	JSON Format = "json"
	// CSV writes RFC 4180 CSV with a header row, as Advanced Hunting exports (.csv).
	CSV Format = "csv"
	// EventHub writes Defender Streaming API Event Hub messages
	// {"records":[{"time","tenantId","operationName","category","properties"}]},
	// one after the other (.eventhub.json).
	EventHub Format = "eventhub"
)

// Formats lists the output formats.
var Formats = []Format{JSONLines, JSON, CSV, EventHub}

// ParseFormat returns the format named s.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: expected one of jsonl, json, csv, eventhub", s)
}

// Ext returns the file name extension of f, with its leading dot.
func (f Format) Ext() string {
	switch f {
	case JSON:
		return ".json"
	case CSV:
		return ".csv"
	case EventHub:
		return ".eventhub.json"
	}
	return ".jsonl"
}

// The generated tables.
const (
	DeviceNetworkEvents = "DeviceNetworkEvents"
	DeviceInfo          = "DeviceInfo"
	DeviceNetworkInfo   = "DeviceNetworkInfo"
	DeviceProcessEvents = "DeviceProcessEvents"
)

// Tables lists the tables gen can write.
var Tables = []string{DeviceNetworkEvents, DeviceInfo, DeviceNetworkInfo, DeviceProcessEvents}

// Schema returns the columns gen writes for table, in order.
func Schema(table string) (column.Schema, bool) {
	switch table {
	case DeviceNetworkEvents:
		return networkSchema, true
	case DeviceInfo:
		return infoSchema, true
	case DeviceNetworkInfo:
		return adapterSchema, true
	case DeviceProcessEvents:
		return processSchema, true
	}
	return nil, false
}

// Defaults applied by Options.withDefaults.
const (
	DefaultDevices           = 1000
	DefaultRows              = 100_000
	defaultRecordsPerMessage = 500
)

// DefaultStart is the start of the generated time window when Options.Start is zero.
var DefaultStart = time.Date(2025, 5, 7, 0, 0, 0, 0, time.UTC)

// Options say what to generate. Zero fields take defaults.
type Options struct {
	// Seed selects the tenant: device fleet, tenant id and event streams.
	Seed int64
	// Devices is the size of the device fleet (default 1000).
	Devices int
	// Rows is the number of DeviceNetworkEvents rows (default 100000).
	Rows int
	// ProcessRows is the number of DeviceProcessEvents rows (default Rows/10).
	ProcessRows int
	// Start and Span bound event timestamps to [Start, Start+Span)
	// (defaults 2025-05-07T00:00:00Z and 24h). DeviceInfo and
	// DeviceNetworkInfo report once per device and started day of the span.
	Start time.Time
	Span  time.Duration
	// Batch selects an independent stream of events over the same fleet,
	// for a second export of the same tenant (default 0).
	Batch int
	// TenantID is written in Event Hub records (default derived from Seed).
	TenantID string
	// RecordsPerMessage bounds the records of one Event Hub message (default 500).
	RecordsPerMessage int
}

func (o Options) withDefaults() Options {
	if o.Devices <= 0 {
		o.Devices = DefaultDevices
	}
	if o.Rows < 0 {
		o.Rows = 0
	} else if o.Rows == 0 {
		o.Rows = DefaultRows
	}
	if o.ProcessRows <= 0 {
		o.ProcessRows = o.Rows / 10
	}
	if o.Start.IsZero() {
		o.Start = DefaultStart
	}
	o.Start = o.Start.UTC()
	if o.Span <= 0 {
		o.Span = 24 * time.Hour
	}
	return o
}

func (o *Options) tenantID() string {
	if o.TenantID != "" {
		return o.TenantID
	}
	return newRNG(o.Seed, "tenant", 0).guid()
}

// Write writes table in format f to w. It buffers w itself.
func Write(w io.Writer, table string, f Format, opts Options) error {
	opts = opts.withDefaults()
	schema, ok := Schema(table)
	if !ok {
		return fmt.Errorf("unknown table %q: expected one of %s", table,
			strings.Join(Tables, ", "))
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := newEncoder(bw, f, table, schema, &opts)
	fl := newFleet(opts)
	if err := enc.begin(); err != nil {
		return err
	}
	var err error
	switch table {
	case DeviceNetworkEvents:
		err = writeNetworkEvents(enc, fl, opts)
	case DeviceInfo:
		err = writeDeviceInfo(enc, fl, opts)
	case DeviceNetworkInfo:
		err = writeNetworkInfo(enc, fl, opts)
	case DeviceProcessEvents:
		err = writeProcessEvents(enc, fl, opts)
	}
	if err != nil {
		return err
	}
	if err := enc.end(); err != nil {
		return err
	}
	return bw.Flush()
}

// days returns the number of calendar days the span touches, at least 1.
func (o Options) days() int {
	first := o.Start.Truncate(24 * time.Hour)
	last := o.Start.Add(o.Span - 1).Truncate(24 * time.Hour)
	return int(last.Sub(first)/(24*time.Hour)) + 1
}
