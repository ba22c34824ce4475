package bench

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" database/sql driver
)

// WorkerCommand is the first argument that turns the benchmark binary into
// a DuckDB worker (see [WorkerMain]).
const WorkerCommand = "duckdb-worker"

// kustoTime is how Kusto prints a datetime, to 100 ns.
const kustoTime = "2006-01-02T15:04:05.0000000Z"

// workerArgs returns the arguments after [WorkerCommand] that run query on
// DuckDB over input in of ds.
func workerArgs(ds *Dataset, in Input, q Query, queryFile string) []string {
	var args []string
	if in == Native {
		args = append(args, "-db", ds.File(Native, ""))
	}
	if in != Native {
		for _, t := range q.Tables {
			args = append(args, "-view", t+"="+ds.Scan(in, t))
		}
	}
	return append(args, "-query", queryFile)
}

// WorkerMain runs one DuckDB query in this process and writes its result
// to stdout as CSV with a header row, values printed as huntql prints them
// (datetimes to 100 ns, booleans as true and false, nulls empty). args are
// the arguments after [WorkerCommand]:
//
//	-db FILE        open this database file read-only (default: in memory)
//	-write          open it for writing instead
//	-threads N      run DuckDB on N threads (default: one per CPU)
//	-view NAME=SQL  first create view NAME as SELECT * FROM SQL (repeatable)
//	-exec SQL       then run this statement, printing nothing (repeatable)
//	-query FILE     then run the SQL query in FILE
//
// It returns the process exit code. The benchmark runs it as a child so that
// the child's peak memory is DuckDB's alone.
func WorkerMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(WorkerCommand, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbFile := fs.String("db", "", "DuckDB database `file`, opened read-only")
	write := fs.Bool("write", false, "open the database file for writing")
	threads := fs.Int("threads", 0, "DuckDB `threads` (default: one per CPU)")
	queryFile := fs.String("query", "", "`file` holding the SQL query")
	var views, stmts []string
	fs.Func("view", "create view `NAME=SQL` first", func(s string) error {
		views = append(views, s)
		return nil
	})
	fs.Func("exec", "run the `SQL` statement", func(s string) error {
		stmts = append(stmts, s)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dsn := *dbFile
	if dsn != "" && !*write {
		dsn += "?access_mode=READ_ONLY"
	}
	if *threads > 0 {
		stmts = append([]string{fmt.Sprintf("SET threads = %d", *threads)}, stmts...)
	}
	if err := runWorker(dsn, views, stmts, *queryFile, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", WorkerCommand, err)
		return 1
	}
	return 0
}

func runWorker(dsn string, views, stmts []string, queryFile string,
	stdout, stderr io.Writer) error {
	db, err := sql.Open("duckdb", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, v := range views {
		name, src, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("bad -view %q: expected NAME=SQL", v)
		}
		if _, err := conn.ExecContext(ctx,
			"CREATE VIEW "+name+" AS SELECT * FROM "+src); err != nil {
			return fmt.Errorf("creating view %s: %w", name, err)
		}
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	if queryFile == "" {
		return nil
	}
	text, err := os.ReadFile(queryFile)
	if err != nil {
		return err
	}
	start := time.Now()
	rows, err := conn.QueryContext(ctx, string(text))
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(stdout)
	w := csv.NewWriter(bw)
	if err := w.Write(cols); err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	rec := make([]string, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			rec[i] = formatValue(v)
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s: query ran in %v\n", WorkerCommand, time.Since(start))
	return bw.Flush()
}

// formatValue prints a value scanned from DuckDB as huntql prints it in CSV.
func formatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []byte:
		return string(v)
	case time.Time:
		return v.UTC().Format(kustoTime)
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}
