// Command huntql runs KQL hunting queries over exported Microsoft Defender
// XDR and Sentinel telemetry. See `huntql --help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/huntql/huntql"
	"github.com/huntql/huntql/internal/output"
	"github.com/huntql/huntql/internal/store"
	"github.com/huntql/huntql/internal/types"
)

// Exit codes.
const (
	exitOK         = 0
	exitFailure    = 1 // data, I/O or other errors
	exitQueryError = 2 // the query does not parse or type-check
)

func main() {
	// Queries allocate many short-lived batches: collecting garbage four
	// times less often than Go's default saves a quarter to a third of the
	// CPU of a store query, and the soft memory limit that --max-memory sets
	// while a query runs makes the collector work harder near the limit.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	stop := startProfile(os.Stderr)
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func (e *exitError) Unwrap() error { return e.err }

// run is the whole program, parameterized for tests.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return runContext(ctx, args, stdin, stdout, stderr)
}

// runContext is run under ctx, whose cancellation is an interrupt (Ctrl-C).
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout,
	stderr io.Writer,
) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Say what happened rather than Go's "context canceled".
		fmt.Fprintln(stderr, "huntql: interrupted")
		return exitFailure
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprint(stderr, strings.TrimRight(ee.err.Error(), "\n")+"\n")
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "huntql: %v\n", err)
	return exitFailure
}

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "huntql",
		Short: "Run KQL hunting queries over exported Defender and Sentinel telemetry",
		Long: `huntql runs Kusto Query Language (KQL) hunting queries, unchanged and with
Kusto's semantics, over exported Microsoft Defender XDR and Sentinel telemetry:
Streaming API records (Event Hub messages or Storage blob lines), JSON arrays,
JSON lines and CSV exports, gzip-compressed or not.`,
		Example: `  huntql hunt connectivity-failures-by-domain --data examples/
  huntql query --data exports/ 'DeviceNetworkEvents | summarize count() by ActionType'
  huntql query --data exports/ --now 2025-05-08T00:00:00Z -f hunt.kql --format csv`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newQueryCmd(), newHuntCmd(), newCheckCmd(), newFunctionsCmd(),
		newReplCmd(), newGenerateCmd(), newIngestCmd(), newStoreCmd())
	return root
}

// engineFlags are the flags every command that reads data shares.
type engineFlags struct {
	data   []string
	store  string
	now    string
	format string
	stats  bool
	memory string // --max-memory
}

func (f *engineFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.data, "data", nil,
		"telemetry file or directory (searched recursively); repeatable")
	fl.StringVar(&f.now, "now", "",
		"pin now() and ago() to this datetime (e.g. 2025-05-08T00:00:00Z) for stable answers")
	fl.StringVar(&f.format, "format", "table", "output format: table, csv or json")
	fl.StringVar(&f.store, "store", "",
		"read tables from the store in `DIR` made by 'huntql ingest' "+
			"(default $HUNTQL_STORE when no --data is given)")
	fl.BoolVar(&f.stats, "stats", false,
		"print to stderr how many store files and row groups the query read and skipped")
	fl.StringVar(&f.memory, "max-memory", "",
		"stop a query that needs more than `SIZE` of memory (512MB, 2GiB, none) "+
			"(default three quarters of the machine's memory)")
}

// storeDir returns the store to read: --store, else $HUNTQL_STORE when no
// --data is given.
func (f *engineFlags) storeDir() string {
	if f.store == "" && len(f.data) == 0 {
		return os.Getenv("HUNTQL_STORE")
	}
	return f.store
}

func (f *engineFlags) engine() (*huntql.Engine, error) {
	if err := checkFormat(f.format, output.Formats); err != nil {
		return nil, err
	}
	limit := huntql.DefaultMaxMemory()
	if f.memory != "" {
		var err error
		if limit, err = huntql.ParseMemory(f.memory); err != nil {
			return nil, &exitError{exitFailure, fmt.Errorf("huntql: --max-memory %w", err)}
		}
	}
	eng, err := newEngineWith(f.data, f.storeDir(), f.now)
	if err != nil {
		return nil, err
	}
	eng.SetMaxMemory(limit)
	return eng, nil
}

// checkFormat reports a --format value that is not one of known.
func checkFormat(format string, known []string) error {
	if slices.Contains(known, format) {
		return nil
	}
	return &exitError{exitFailure, fmt.Errorf("huntql: unknown --format %q; expected %s",
		format, orList(known))}
}

// orList spells names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// newEngine returns an engine over the data paths with now() pinned to now
// when it is not empty. Its errors carry exit codes.
func newEngine(data []string, now string) (*huntql.Engine, error) {
	return newEngineWith(data, "", now)
}

// newEngineWith is newEngine reading the store in storeDir when it is not
// empty.
func newEngineWith(data []string, storeDir, now string) (*huntql.Engine, error) {
	if err := notAStore(data, "read it with --store %s"); err != nil {
		return nil, err
	}
	opts := huntql.Options{Data: data, Store: storeDir}
	if now != "" {
		d, ok := types.ParseDatetime(now)
		if !ok {
			return nil, &exitError{exitFailure, fmt.Errorf(
				"huntql: --now %q is not a datetime; expected e.g. 2025-05-08T00:00:00Z", now)}
		}
		opts.Now = d.Time()
	}
	eng, err := huntql.New(opts)
	if err != nil {
		return nil, &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
	}
	return eng, nil
}

// notAStore fails when one of paths is a store's directory: read as
// telemetry files, its Parquet files are skipped and its quarantine and
// manifest read as tables, an answer that looks plausible and is wrong. hint
// (with the path for %s) says what to do instead.
func notAStore(paths []string, hint string) error {
	for _, p := range paths {
		if p == "-" {
			continue
		}
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			continue
		}
		if _, err := store.Open(p); err == nil {
			return &exitError{exitFailure, fmt.Errorf("huntql: %s is a store made by huntql "+
				"ingest, not telemetry files; "+hint, p, p)}
		}
	}
	return nil
}

// runQuery compiles and runs text and prints the result.
func runQuery(cmd *cobra.Command, f *engineFlags, name, text string) error {
	eng, err := f.engine()
	if err != nil {
		return err
	}
	err = execute(cmd.Context(), eng, name, text, f.format, 0,
		cmd.OutOrStdout(), cmd.ErrOrStderr())
	if st, ok := eng.StoreStats(); ok && f.stats {
		fmt.Fprintf(cmd.ErrOrStderr(),
			"store: read %d of %d files and %d of %d row groups (%d rows, %d of them "+
				"ruled out by the query's bounds)\n",
			st.Files-st.FilesSkipped, st.Files, st.RowGroups-st.RowGroupsSkipped, st.RowGroups,
			st.Rows, st.RowsDropped)
	}
	return err
}

// execute compiles and runs text on eng and prints the result to stdout in
// format, then, for a table, the row count and time to stderr. A table
// wider than width (when positive) prints as vertical records. Its errors
// carry exit codes: exitQueryError for errors in the query.
func execute(ctx context.Context, eng *huntql.Engine, name, text, format string, width int,
	stdout, stderr io.Writer,
) error {
	start := time.Now()
	res, err := eng.Query(ctx, name, text)
	if err != nil {
		if errors.Is(err, huntql.ErrQuery) {
			return &exitError{exitQueryError, err}
		}
		return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
	}
	if len(res.Tables) > 1 && format == output.JSON {
		// fork and facet as JSON lines: each row names its table.
		for _, t := range res.Tables {
			one := &huntql.Result{Columns: append([]huntql.Column{{Name: "$table",
				Type: types.String}}, t.Columns...)}
			for _, row := range t.Rows {
				one.Rows = append(one.Rows, append([]any{t.Name}, row...))
			}
			if err := writeResult(stdout, format, width, one); err != nil {
				return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
			}
		}
	} else if len(res.Tables) > 1 {
		// fork and facet: each table under its name.
		for i, t := range res.Tables {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprintf(stdout, "# %s\n", t.Name)
			one := &huntql.Result{Columns: t.Columns, Rows: t.Rows}
			if err := writeResult(stdout, format, width, one); err != nil {
				return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
			}
		}
	} else if err := writeResult(stdout, format, width, res); err != nil {
		return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "huntql: warning:", w)
	}
	if res.Render != nil {
		fmt.Fprintf(stderr, "render: %s\n", res.Render)
	}
	if format == output.Table {
		rows := "rows"
		if len(res.Rows) == 1 {
			rows = "row"
		}
		fmt.Fprintf(stderr, "(%d %s, %s)\n", len(res.Rows), rows,
			time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// writeResult prints one result table to w in format; a table wider than
// width (when positive) prints as vertical records.
func writeResult(w io.Writer, format string, width int, res *huntql.Result) error {
	tw, err := output.NewWriter(w, format, res.Schema())
	if err != nil {
		return err
	}
	tw.MaxWidth = width
	for _, row := range res.Rows {
		if err = tw.WriteRow(row); err != nil {
			break
		}
	}
	if cerr := tw.Close(); err == nil {
		err = cerr
	}
	return err
}

func newQueryCmd() *cobra.Command {
	var f engineFlags
	var file string
	cmd := &cobra.Command{
		Use:   "query [flags] (-f FILE | QUERY)",
		Short: "Run a KQL query over telemetry files",
		Long: `Run a KQL query over the telemetry under --data and print the result.

A table's rows come from every file under --data that holds that table: JSON
arrays or JSON lines named after the table (DeviceNetworkEvents.json, .jsonl),
Defender Streaming API output (Event Hub messages or Storage blob lines, any
file name; the table comes from each record's category), and CSV exports with a
header row (DeviceNetworkEvents.csv). Files ending in .gz are decompressed.
Sentinel watchlists for _GetWatchlist('alias') are CSV files named
alias.watchlist.csv or watchlists/alias.csv.

Exit status: 0 on success, 2 when the query has errors (printed as
file:line:col with the source line and a caret), 1 for data and other errors.`,
		Example: `  huntql query --data examples/ 'DeviceNetworkEvents | count'
  huntql query --data examples/ -f my-hunt.kql --format json
  huntql query --data exports/ --now 2025-05-08T00:00:00Z \
      'DeviceNetworkEvents | where Timestamp > ago(1d) | take 10'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, text, err := queryText(cmd, file, args)
			if err != nil {
				return err
			}
			return runQuery(cmd, &f, name, text)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVarP(&file, "file", "f", "", "read the query from FILE (- for stdin)")
	return cmd
}

// queryText returns the query's name for diagnostics and its text, from
// -f FILE, stdin or the argument.
func queryText(cmd *cobra.Command, file string, args []string) (string, string, error) {
	switch {
	case file != "" && len(args) > 0:
		return "", "", &exitError{exitFailure,
			errors.New("huntql: give the query either with -f FILE or as an argument, not both")}
	case file == "-":
		b, err := io.ReadAll(cmd.InOrStdin())
		if err != nil {
			return "", "", &exitError{exitFailure, fmt.Errorf("huntql: reading stdin: %w", err)}
		}
		return "<stdin>", string(b), nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", "", &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
		}
		return file, string(b), nil
	case len(args) == 1:
		return "<query>", args[0], nil
	}
	return "", "", &exitError{exitFailure,
		errors.New("huntql: no query; give one as an argument or with -f FILE (see --help)")}
}
