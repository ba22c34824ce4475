package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/huntql/huntql/internal/source"
	"github.com/huntql/huntql/internal/store"
)

// defaultStore returns the store directory: the flag, else $HUNTQL_STORE.
func defaultStore(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if dir := os.Getenv("HUNTQL_STORE"); dir != "" {
		return dir, nil
	}
	return "", &exitError{exitFailure,
		errors.New("huntql: no store; pass --store DIR or set HUNTQL_STORE")}
}

func newIngestCmd() *cobra.Command {
	var storeFlag, table, format string
	var follow bool
	var interval time.Duration
	cmd := &cobra.Command{
		Use:   "ingest [flags] SOURCE...",
		Short: "Add telemetry files to a store, durably, each record once",
		Long: `Read telemetry into the store in --store (default $HUNTQL_STORE), created
if missing. A SOURCE is a file, a directory (walked recursively) or - for
stdin, in any format 'huntql query --data' reads. Files are told by their
names, as --data tells them. Stdin is told by its content (gzip is undone
first): an Avro capture by its magic bytes, JSON (rows, Storage blob lines
or Event Hub messages) when it starts with { or [, else CSV with a header
row; --format says which instead. --table names the table of stdin's rows
(streaming records name their own; a Log Analytics CSV export without
--table takes each row's from its Type column).

Every commit is atomic: a killed ingest leaves the store as of its last
commit, and running it again resumes. Each source file's identity and read
position are recorded, so running the same ingest again adds nothing and a
grown JSON lines file adds only its new lines. Records seen before (by their
table's key: DeviceId, ReportId, Timestamp and ActionType for Device event
tables) are counted as duplicates and dropped. A record that cannot be read
or converted goes to the store's quarantine (quarantine/*.jsonl: source, line,
reason, raw text). The summary's counts add up: read = stored + duplicate +
quarantined.`,
		Example: `  huntql ingest --store /var/lib/huntql exports/
  HUNTQL_STORE=store huntql ingest --follow /mnt/eventhub-capture/
  zcat DeviceInfo.json.gz | huntql ingest --store store --table DeviceInfo -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if os.Getenv("GOGC") == "" {
				// An ingest holds a commit's records (256 MB of source) at
				// once: Go's default collection kept the peak of a 10M-row
				// ingest at 1.8 GB, the GOGC of queries lets it grow to 4.8.
				debug.SetGCPercent(100)
			}
			if follow && interval <= 0 {
				// A zero interval would rescan the sources in a busy loop.
				return &exitError{exitFailure, fmt.Errorf(
					"huntql: --interval %s is not positive; expected e.g. 2s", interval)}
			}
			if _, err := source.Stream(table, format); err != nil {
				return &exitError{exitFailure, fmt.Errorf("huntql: --format: %w", err)}
			}
			dir, err := defaultStore(storeFlag)
			if err != nil {
				return err
			}
			if err := notAStore(args, "ingest the files it was made from, or query "+
				"it with --store %s"); err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{
				Level: slog.LevelWarn}))
			w, err := store.OpenWriter(dir, log)
			if err != nil {
				return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
			}
			defer w.Close()
			for {
				opts := store.IngestOptions{Stdin: cmd.InOrStdin(), Table: table, Format: format}
				if err := ingestOnce(cmd, w, dir, args, opts, follow); err != nil {
					return err
				}
				if !follow {
					return nil
				}
				select {
				case <-cmd.Context().Done():
					return nil
				case <-time.After(interval):
				}
			}
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&storeFlag, "store", "", "the store `DIR` (default $HUNTQL_STORE)")
	fl.StringVar(&table, "table", "", "the table of rows read from stdin (-)")
	fl.StringVar(&format, "format", "auto", "stdin's `format`: "+
		strings.Join(source.StreamFormats, ", ")+" (told from the content)")
	fl.BoolVar(&follow, "follow", false,
		"keep watching the sources, ingesting new and grown files, until interrupted")
	fl.DurationVar(&interval, "interval", 2*time.Second, "how often --follow looks")
	return cmd
}

// ingestOnce runs one ingest and prints its summary.
func ingestOnce(cmd *cobra.Command, w *store.Writer, dir string, args []string,
	opts store.IngestOptions, follow bool,
) error {
	stderr := cmd.ErrOrStderr()
	start := time.Now()
	var bar *progressbar.ProgressBar
	if isTerminal(stderr) {
		bar = progressbar.NewOptions64(-1, progressbar.OptionSetWriter(stderr),
			progressbar.OptionShowBytes(true), progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetDescription("ingest"))
		opts.Progress = func(p store.Progress) {
			if p.TotalBytes > 0 && bar.GetMax64() != p.TotalBytes {
				bar.ChangeMax64(p.TotalBytes)
			}
			bar.Describe(fmt.Sprintf("ingest %d records (%s/s)", p.Read,
				rate(p.Read, time.Since(start))))
			_ = bar.Set64(p.Bytes)
		}
	} else if !follow {
		last := time.Now()
		opts.Progress = func(p store.Progress) {
			if time.Since(last) < 5*time.Second {
				return
			}
			last = time.Now()
			fmt.Fprintf(stderr, "ingest: %s of %s, %d records (%s records/s), %s\n",
				mb(p.Bytes), mb(p.TotalBytes), p.Read, rate(p.Read, time.Since(start)), p.File)
		}
	}
	sum, err := w.Ingest(cmd.Context(), args, opts)
	if bar != nil {
		_ = bar.Finish()
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "huntql: interrupted; what was read is committed (%d records "+
			"stored), and running it again goes on from there\n", sum.Stored)
		if follow {
			return nil
		}
		return &exitError{exitFailure, nil}
	}
	if err != nil {
		// The counts of an interrupted ingest need not add up: what was
		// read since the last commit is not stored, and the next run reads it.
		return &exitError{exitFailure, fmt.Errorf("huntql: %w\nhuntql: ingest stopped; "+
			"the store keeps what was committed (%d commits), and running it again resumes",
			err, sum.Commits)}
	}
	if !follow || sum.Read > 0 {
		printSummary(stderr, sum, dir, time.Since(start))
	}
	return nil
}

// rate spells n events over d as a rate per second: 70086, 1.2k or 3.4M.
func rate(n int64, d time.Duration) string {
	r := float64(n) / max(d.Seconds(), 1e-3)
	switch {
	case r >= 1e6:
		return fmt.Sprintf("%.1fM", r/1e6)
	case r >= 1e4:
		return fmt.Sprintf("%.0fk", r/1e3)
	}
	return fmt.Sprintf("%.0f", r)
}

// printSummary prints the one-line summary of an ingest.
func printSummary(w io.Writer, s *store.Summary, dir string, took time.Duration) {
	secs := max(took.Seconds(), 1e-3)
	what := fmt.Sprintf("%d files (%d unchanged)", s.Files, s.Unchanged)
	switch {
	case s.Stdin && s.Files == 0 && s.Unchanged == 0:
		what = "stdin"
	case s.Stdin:
		what += " and stdin"
	}
	fmt.Fprintf(w, "ingested %s into %s: read %d, stored %d, duplicate %d, quarantined %d "+
		"records; %s read in %s (%.1f MB/s, %.0f records/s)\n", what, dir, s.Read, s.Stored,
		s.Duplicate, s.Quarantined, mb(s.Bytes), took.Round(time.Millisecond),
		float64(s.Bytes)/1e6/secs, float64(s.Read)/secs)
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "skipped %d files ingest cannot read, such as %s\n", len(s.Skipped),
			s.Skipped[0])
	}
	for _, c := range []struct {
		n    int
		unit string
	}{{s.IncompleteLines, "line"}, {s.IncompleteBlocks, "avro block"}} {
		switch {
		case c.n == 1:
			fmt.Fprintf(w, "1 incomplete last %s left for the next run\n", c.unit)
		case c.n > 1:
			fmt.Fprintf(w, "%d incomplete last %ss (one a file) left for the next run\n", c.n,
				c.unit)
		}
	}
	if s.Quarantined > 0 {
		fmt.Fprintln(w, quarantineHint(dir, s.Quarantined))
	}
}

// quarantineHint says where the quarantined records went and why the latest
// was, so that a user whose records were all quarantined (a stdin stream
// without --table, say) need not go looking.
func quarantineHint(dir string, n int64) string {
	qdir := filepath.Join(dir, "quarantine")
	hint := fmt.Sprintf("the %d quarantined records are in %s", n, qdir)
	names, err := filepath.Glob(filepath.Join(qdir, "*.jsonl"))
	if err != nil || len(names) == 0 {
		return hint
	}
	last := slices.Max(names)
	f, err := os.Open(last)
	if err != nil {
		return hint
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var q struct {
		Reason string `json:"reason"`
	}
	if !sc.Scan() || json.Unmarshal(sc.Bytes(), &q) != nil || q.Reason == "" {
		return hint
	}
	return fmt.Sprintf("the %d quarantined records are in %s; the first in %s: %s", n, qdir,
		filepath.Base(last), q.Reason)
}

// mb formats a byte count in megabytes.
func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
