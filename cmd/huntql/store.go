package main

import (
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/huntql/huntql/internal/store"
	"github.com/huntql/huntql/internal/types"
)

func newStoreCmd() *cobra.Command {
	var storeFlag string
	cmd := &cobra.Command{
		Use:   "store (info | prune | compact) [flags]",
		Short: "Describe and maintain a store made by 'huntql ingest'",
		// Without a RunE, cobra prints the help for a mistyped subcommand and
		// exits 0, as if it had done something.
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return &exitError{exitFailure, fmt.Errorf("huntql: unknown command %q for "+
					"huntql store; expected info, prune or compact", args[0])}
			}
			return cmd.Help()
		},
	}
	cmd.PersistentFlags().StringVar(&storeFlag, "store", "",
		"the store `DIR` (default $HUNTQL_STORE)")
	cmd.AddCommand(&cobra.Command{
		Use:   "info",
		Short: "Tables, rows, time range, size on disk and compression against the sources",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := defaultStore(storeFlag)
			if err != nil {
				return err
			}
			snap, err := store.Open(dir)
			if err != nil {
				return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
			}
			printInfo(cmd, snap.Info())
			return nil
		},
	})
	var olderThan string
	prune := &cobra.Command{
		Use:   "prune --older-than AGE",
		Short: "Drop the files whose rows are all older than AGE (a timespan: 180d)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			age, ok := types.ParseTimespan(olderThan)
			if !ok || age <= 0 {
				return &exitError{exitFailure, fmt.Errorf(
					"huntql: --older-than %q is not a positive timespan; expected e.g. 180d",
					olderThan)}
			}
			return withWriter(storeFlag, func(w *store.Writer) error {
				cutoff := store.Cutoff(time.Now(), time.Duration(age)*100)
				files, rows, err := w.Prune(cutoff)
				if err == nil {
					fmt.Fprintf(cmd.OutOrStdout(), "pruned %d files (%d rows) before %s\n",
						files, rows, cutoff)
				}
				return err
			})
		},
	}
	prune.Flags().StringVar(&olderThan, "older-than", "", "age of the rows to drop (180d)")
	_ = prune.MarkFlagRequired("older-than")
	cmd.AddCommand(prune, &cobra.Command{
		Use:   "compact",
		Short: "Merge each day's small files into larger ones, atomically",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withWriter(storeFlag, func(w *store.Writer) error {
				replaced, written, err := w.Compact()
				if err == nil {
					fmt.Fprintf(cmd.OutOrStdout(), "compacted %d files into %d\n", replaced,
						written)
				}
				return err
			})
		},
	})
	return cmd
}

// withWriter runs fn with the store open for writing.
func withWriter(flag string, fn func(*store.Writer) error) error {
	dir, err := defaultStore(flag)
	if err != nil {
		return err
	}
	// Maintenance needs a store: a mistyped --store must not create an
	// empty one and report success.
	if _, err := store.Open(dir); err != nil {
		return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
	}
	w, err := store.OpenWriter(dir, slog.New(slog.DiscardHandler))
	if err != nil {
		return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
	}
	defer w.Close()
	if err := fn(w); err != nil {
		return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
	}
	return nil
}

// printInfo prints a store's tables.
func printInfo(cmd *cobra.Command, in store.Info) {
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "TABLE\tROWS\tFILES\tROW GROUPS\tFROM\tTO\tSIZE\tSOURCE\tRATIO\t")
	var rows, size, src int64
	for _, t := range in.Tables {
		from, to := "-", "-"
		if t.MaxTime != 0 {
			from, to = t.MinTime.String(), t.MaxTime.String()
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t\n", t.Name, t.Rows, t.Files,
			t.RowGroups, from, to, mb(t.Bytes), mb(t.SourceBytes), ratio(t.Bytes, t.SourceBytes))
		rows, size, src = rows+t.Rows, size+t.Bytes, src+t.SourceBytes
	}
	fmt.Fprintf(tw, "total\t%d\t\t\t\t\t%s\t%s\t%s\t\n", rows, mb(size), mb(src), ratio(size, src))
	tw.Flush()
	fmt.Fprintf(cmd.OutOrStdout(), "%d commits, %d source files, %d quarantined records\n",
		in.Commits, in.Sources, in.Quarantined)
}

// ratio gives size as a percentage of source.
func ratio(size, source int64) string {
	if source == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(size)/float64(source))
}
