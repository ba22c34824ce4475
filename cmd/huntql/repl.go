package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/chzyer/readline"
	"github.com/spf13/cobra"

	"github.com/huntql/huntql"
	"github.com/huntql/huntql/internal/output"
	"github.com/huntql/huntql/internal/syntax"
)

// replHelp is the REPL's .help text; `huntql repl --help` repeats it.
const replHelp = `Type a KQL query over as many lines as you like. A query runs at an empty
line (as Kusto Explorer separates queries by blank lines), or at a line
ending in ';' when what you typed ends with a query rather than a let, set
or declare statement and does not break off inside braces or a string: so
"let x = 1;" waits for the query that uses x.

Meta-commands, typed at the start of a query:
  .help            this text
  .tables [PREFIX] tables with data (under --data) and built-in Defender
                   tables; with PREFIX, every known table starting with it
  .schema TABLE    TABLE's columns and their types
  .format FORMAT   print results as table, csv or json
  .quit            leave (so does Ctrl-D)

Tab completes table names, the columns of the tables the query names,
function names, operator keywords and, after evaluate, plugin names. Ctrl-C cancels a running query, or
discards the lines typed so far. Errors show where they are and leave you
at the prompt. History is kept in %s.`

func newReplCmd() *cobra.Command {
	var f engineFlags
	cmd := &cobra.Command{
		Use:   "repl [flags]",
		Short: "Run KQL queries interactively",
		Long: `Run KQL queries interactively over the telemetry under --data.

` + fmt.Sprintf(replHelp, historyPath()) + `

When standard input is not a terminal, queries are read from it, separated
the same way, and their results printed without prompts, so that a session
can be scripted; the exit status is then 2 if any query had errors, 1 for
other errors, else 0.`,
		Example: `  huntql repl --data exports/ --now 2025-05-08T00:00:00Z
  printf 'DeviceInfo | count\n\nprint 1;\n' | huntql repl --data exports/ --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			eng, err := f.engine()
			if err != nil {
				return err
			}
			r := &repl{eng: eng, format: f.format, stdout: cmd.OutOrStdout(),
				stderr: cmd.ErrOrStderr()}
			if isTerminal(cmd.InOrStdin()) && cmd.OutOrStdout() == os.Stdout {
				if len(f.data) == 0 && f.storeDir() == "" {
					fmt.Fprintln(r.stderr,
						"huntql: warning: no --data or --store given, so every table is empty")
				}
				return r.interactive(cmd.Context())
			}
			return r.script(cmd.Context(), cmd.InOrStdin())
		},
	}
	f.register(cmd)
	return cmd
}

// isTerminal reports whether f is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && readline.IsTerminal(int(file.Fd()))
}

// historyPath is the REPL's history file, in the user's cache directory,
// or "" when there is none.
func historyPath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "huntql", "history")
}

// repl is one REPL session.
type repl struct {
	eng            *huntql.Engine
	format         string
	stdout, stderr io.Writer
	width          func() int // terminal width for tables; nil when not a terminal
	code           int        // the worst exit status of the queries so far
	quit           bool       // .quit was given
	pending        []string   // lines of the query typed so far
}

// script reads queries from in and runs them until the end of input or .quit.
func (r *repl) script(ctx context.Context, in io.Reader) error {
	br := bufio.NewReader(in)
	for !r.quit {
		line, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return &exitError{exitFailure, fmt.Errorf("huntql: reading queries: %w", err)}
		}
		if line != "" || err == nil {
			if text, ok := r.take(strings.TrimRight(line, "\r\n")); ok {
				r.run(ctx, text)
			}
		}
		if err == io.EOF {
			break
		}
		if ctx.Err() != nil {
			return &exitError{exitFailure, errors.New("huntql: interrupted")}
		}
	}
	if !r.quit {
		r.flush(ctx, r.run)
	}
	if r.code != exitOK {
		return &exitError{r.code, errors.New("")}
	}
	return nil
}

// interactive runs the prompt on the terminal until .quit or Ctrl-D.
func (r *repl) interactive(ctx context.Context) error {
	hist := historyPath()
	if hist != "" {
		if err := os.MkdirAll(filepath.Dir(hist), 0o700); err != nil {
			hist = "" // no history rather than no REPL
		}
	}
	rl, err := readline.NewEx(&readline.Config{
		Prompt:            "huntql> ",
		HistoryFile:       hist,
		HistorySearchFold: true,
		AutoComplete:      &completer{r: r},
		InterruptPrompt:   "^C",
		EOFPrompt:         ".quit",
		// The prompt and the line being edited go to stderr, as Python's
		// REPL does, so that results alone can be redirected.
		Stdout: r.stderr,
		Stderr: r.stderr,
	})
	if err != nil {
		return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
	}
	defer rl.Close()
	if isTerminal(r.stdout) {
		r.width = readline.GetScreenWidth
	}
	fmt.Fprintln(r.stderr, "huntql REPL: end a query with an empty line; .help for help.")
	// A query's context outlives a Ctrl-C that cancels only that query.
	base := context.WithoutCancel(ctx)
	for !r.quit {
		if len(r.pending) == 0 {
			rl.SetPrompt("huntql> ")
		} else {
			rl.SetPrompt("     -> ")
		}
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			r.pending = nil // discard the lines typed so far
			continue
		case err == io.EOF:
			r.flush(base, r.runCancelable)
			return nil
		case err != nil:
			return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
		}
		if text, ok := r.take(line); ok {
			r.runCancelable(base, text)
		}
	}
	return nil
}

// runCancelable runs one query that Ctrl-C (SIGINT) cancels.
func (r *repl) runCancelable(ctx context.Context, text string) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	go func() {
		select {
		case <-sig:
			cancel()
		case <-ctx.Done():
		}
	}()
	r.run(ctx, text)
}

// flush runs with run what is pending at the end of input.
func (r *repl) flush(ctx context.Context, run func(context.Context, string)) {
	if text := strings.Join(r.pending, "\n"); strings.TrimSpace(text) != "" {
		r.pending = nil
		run(ctx, text)
	}
}

// take adds line to the pending query. It runs meta-commands itself and
// returns the query text when line completes a query.
func (r *repl) take(line string) (string, bool) {
	trimmed := strings.TrimSpace(line)
	if len(r.pending) == 0 {
		if trimmed == "" {
			return "", false
		}
		if strings.HasPrefix(trimmed, ".") {
			r.meta(trimmed)
			return "", false
		}
	}
	if trimmed == "" {
		text := strings.Join(r.pending, "\n")
		r.pending = nil
		return text, true
	}
	r.pending = append(r.pending, line)
	if strings.HasSuffix(trimmed, ";") {
		text := strings.Join(r.pending, "\n")
		if endsWithQuery(text) {
			r.pending = nil
			return text, true
		}
	}
	return "", false
}

// endsWithQuery reports whether text, which ends in ';', is complete: it
// ends with a query statement, or has a syntax error before its end (which
// shows now). Text that breaks off, as inside a function body's braces or a
// multi-line string, waits for more lines.
func endsWithQuery(text string) bool {
	script, err := syntax.Parse(syntax.NewSource("<query>", text))
	if err != nil {
		var list syntax.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				if int(e.Span.Start) >= len(strings.TrimRight(text, " \t\r\n")) ||
					strings.HasSuffix(e.Msg, "found end of query") {
					return false
				}
			}
		}
		return true
	}
	if script == nil || len(script.Stmts) == 0 {
		return false
	}
	_, ok := script.Stmts[len(script.Stmts)-1].(*syntax.ExprStmt)
	return ok
}

// run runs one query and prints its result or its errors.
func (r *repl) run(ctx context.Context, text string) {
	width := 0
	if r.width != nil {
		width = r.width()
	}
	err := execute(ctx, r.eng, "<query>", text, r.format, width, r.stdout, r.stderr)
	if err == nil {
		return
	}
	code := exitFailure
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(r.stderr, "huntql: query canceled")
	default:
		fmt.Fprint(r.stderr, strings.TrimRight(err.Error(), "\n")+"\n")
	}
	if r.code == exitOK || code == exitFailure {
		r.code = code
	}
}

// meta runs a meta-command line such as ".schema DeviceInfo".
func (r *repl) meta(line string) {
	fields := strings.Fields(line)
	name, args := fields[0], fields[1:]
	fail := func(format string, a ...any) {
		fmt.Fprintf(r.stderr, "huntql: "+format+"\n", a...)
		if r.code == exitOK {
			r.code = exitFailure
		}
	}
	switch name {
	case ".help":
		fmt.Fprintf(r.stdout, replHelp+"\n", historyPath())
	case ".quit", ".exit":
		r.quit = true
	case ".format":
		if len(args) != 1 || !slices.Contains(output.Formats, args[0]) {
			fail(".format expects one of %s; the format is %s", orList(output.Formats), r.format)
			return
		}
		r.format = args[0]
	case ".tables":
		if len(args) > 1 {
			fail(".tables expects at most one prefix")
			return
		}
		r.tables(args)
	case ".schema":
		if len(args) != 1 {
			fail(".schema expects a table name")
			return
		}
		cols, ok := r.eng.Table(args[0])
		if !ok {
			msg := fmt.Sprintf("unknown table %s", args[0])
			if c := closestName(args[0], r.eng.Tables()); c != "" {
				msg += fmt.Sprintf("; did you mean %s?", c)
			}
			fail("%s", msg)
			return
		}
		w := tabwriter.NewWriter(r.stdout, 0, 4, 2, ' ', 0)
		for _, c := range cols {
			fmt.Fprintf(w, "%s\t%s\n", c.Name, c.Type)
		}
		w.Flush()
	default:
		fail("unknown command %s; .help lists the commands", name)
	}
}

// tables prints the tables for .tables [PREFIX].
func (r *repl) tables(args []string) {
	if len(args) == 1 {
		for _, t := range r.eng.Tables() {
			if strings.HasPrefix(t, args[0]) {
				fmt.Fprintln(r.stdout, t)
			}
		}
		return
	}
	data := r.eng.DataTables()
	if len(data) > 0 {
		fmt.Fprintln(r.stdout, "With data:")
		writeWrapped(r.stdout, data, "  ", 80)
	}
	defender := defenderTables()
	fmt.Fprintln(r.stdout, "Defender (built in):")
	writeWrapped(r.stdout, defender, "  ", 80)
	more := 0
	for _, t := range r.eng.Tables() {
		if !slices.Contains(defender, t) && !slices.Contains(data, t) {
			more++
		}
	}
	fmt.Fprintf(r.stdout, "and %d more built-in Sentinel tables (.tables PREFIX lists them)\n",
		more)
}
