package gen

import (
	"bufio"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const usage = `usage: huntql generate [flags]

Generate synthetic Microsoft Defender for Endpoint telemetry: one file per
table in --out, named <Table><ext>, for example DeviceNetworkEvents.jsonl.
The output depends only on the flags: the same flags give the same bytes.

Tables (--tables, default all):
  DeviceNetworkEvents  --rows rows of connections, the bulk of the data
  DeviceInfo           one inventory row per device and day of the span
  DeviceNetworkInfo    one row per network adapter, device and day
  DeviceProcessEvents  --process-rows process creations

Formats (--format):
  jsonl     one JSON object per line (.jsonl)
  json      one JSON array of objects (.json)
  csv       CSV with a header row, as Advanced Hunting exports it (.csv)
  eventhub  Defender Streaming API Event Hub messages (.eventhub.json)

Examples:
  huntql generate --out data --devices 5000 --rows 10000000 --format jsonl --gzip
  huntql generate --out - --tables DeviceInfo --devices 50 --format csv

Flags:
`

// Main runs the generate command with args (the flags after "generate"),
// writing the files it makes to stdout and errors to stderr. It returns the
// process exit code: 0 on success, 2 for bad flags, 1 for other failures.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	out := fs.String("out", "",
		"output `dir`ectory, created if missing; - writes one table to stdout")
	devices := fs.Int("devices", DefaultDevices, "number of devices in the fleet")
	rows := fs.Int("rows", DefaultRows, "DeviceNetworkEvents rows")
	procRows := fs.Int("process-rows", 0, "DeviceProcessEvents rows (default rows/10)")
	format := fs.String("format", string(JSONLines),
		"output `format`: jsonl, json, csv or eventhub")
	seed := fs.Int64("seed", 1, "random seed; selects the tenant")
	batch := fs.Int("batch", 0, "event stream `number`: another export of the same fleet")
	tables := fs.String("tables", strings.Join(Tables, ","), "comma-separated `list` of tables")
	start := fs.String("start", DefaultStart.Format(time.RFC3339),
		"start of the time window, RFC 3339 `time`")
	span := fs.Duration("span", 24*time.Hour, "length of the time window")
	perMsg := fs.Int("records-per-message", defaultRecordsPerMessage,
		"records per Event Hub message (eventhub format)")
	tenant := fs.String("tenant", "",
		"tenant `id` in Event Hub records (default derived from seed)")
	gz := fs.Bool("gzip", false, "gzip the files and add .gz to their names")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "huntql generate: "+format+"\n", a...)
		fmt.Fprintln(stderr, "run 'huntql generate -h' for usage")
		return 2
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q: expected only flags", fs.Arg(0))
	}
	if *out == "" {
		return bad("missing --out: expected an output directory or -")
	}
	f, err := ParseFormat(*format)
	if err != nil {
		return bad("%v", err)
	}
	t0, err := time.Parse(time.RFC3339Nano, *start)
	if err != nil {
		return bad("bad --start %q: expected an RFC 3339 time such as 2025-05-07T00:00:00Z",
			*start)
	}
	switch {
	case *devices <= 0:
		return bad("bad --devices %d: expected a positive number", *devices)
	case *rows < 0 || *procRows < 0:
		return bad("bad row count: expected zero or more rows")
	case *span <= 0:
		return bad("bad --span %v: expected a positive duration", *span)
	}
	var list []string
	for _, t := range strings.Split(*tables, ",") {
		t = strings.TrimSpace(t)
		if _, ok := Schema(t); !ok {
			return bad("unknown table %q in --tables: expected some of %s", t,
				strings.Join(Tables, ", "))
		}
		list = append(list, t)
	}
	if *out == "-" && len(list) != 1 {
		return bad("--out - writes one table: expected --tables to name exactly one")
	}
	opts := Options{Seed: *seed, Devices: *devices, Rows: *rows, ProcessRows: *procRows,
		Start: t0, Span: *span, Batch: *batch, TenantID: *tenant, RecordsPerMessage: *perMsg}
	if *rows == 0 {
		opts.Rows = -1
	}
	if *out == "-" {
		if err := writeTo(stdout, list[0], f, *gz, opts); err != nil {
			fmt.Fprintf(stderr, "huntql generate: %v\n", err)
			return 1
		}
		return 0
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "huntql generate: %v\n", err)
		return 1
	}
	for _, t := range list {
		name := filepath.Join(*out, t+f.Ext())
		if *gz {
			name += ".gz"
		}
		n, err := writeFile(name, t, f, *gz, opts)
		if err != nil {
			fmt.Fprintf(stderr, "huntql generate: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s\t%d bytes\n", name, n)
	}
	return 0
}

// writeFile writes table to the file name and returns its size. It writes
// a hidden temporary file beside it and renames it into place only when
// complete, so an interrupted run never leaves a truncated table behind.
func writeFile(name, table string, f Format, gz bool, opts Options) (int64, error) {
	dir, base := filepath.Split(name)
	file, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return 0, err
	}
	tmp := file.Name()
	cw := &countWriter{w: file}
	if err := writeTo(cw, table, f, gz, opts); err != nil {
		file.Close()
		os.Remove(tmp)
		return 0, fmt.Errorf("writing %s: %w", name, err)
	}
	if err := file.Close(); err != nil {
		os.Remove(tmp)
		return 0, err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return 0, err
	}
	return cw.n, nil
}

func writeTo(w io.Writer, table string, f Format, gz bool, opts Options) error {
	if !gz {
		return Write(w, table, f, opts)
	}
	// The gzip header carries no name or time, so the output stays reproducible.
	bw := bufio.NewWriterSize(w, 256<<10)
	zw := gzip.NewWriter(bw)
	if err := Write(zw, table, f, opts); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
