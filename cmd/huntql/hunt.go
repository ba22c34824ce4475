package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/huntql/huntql/internal/gen"
	"github.com/huntql/huntql/internal/hunts"
)

func newHuntCmd() *cobra.Command {
	var f engineFlags
	var show bool
	cmd := &cobra.Command{
		Use:   "hunt [flags] NAME",
		Short: "Run a built-in hunt (see `huntql hunt list`)",
		Long: `Run one of huntql's built-in hunts over the telemetry under --data.

The hunts are KQL queries shipped inside the binary; 'huntql hunt list' names
them and 'huntql hunt NAME --show' prints one's query and notes, to adapt it
with 'huntql query -f'.`,
		Example: `  huntql hunt list
  huntql hunt connectivity-failures-by-domain --data examples/
  huntql hunt connectivity-failures-by-device --data exports/ --format csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			h, ok := hunts.Get(args[0])
			if !ok {
				return &exitError{exitFailure, fmt.Errorf(
					"huntql: unknown hunt %q; 'huntql hunt list' names the hunts", args[0])}
			}
			if show {
				printHunt(cmd.OutOrStdout(), h)
				return nil
			}
			return runQuery(cmd, &f, "hunt:"+h.Name, h.Query)
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&show, "show", false,
		"print the hunt's description and query instead of running it")
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the built-in hunts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tTABLES\tTITLE")
			for _, h := range hunts.List() {
				fmt.Fprintf(w, "%s\t%s\t%s\n", h.Name, strings.Join(h.Tables, ","), h.Title)
			}
			return w.Flush()
		},
	})
	return cmd
}

func printHunt(w io.Writer, h hunts.Hunt) {
	fmt.Fprintf(w, "%s\n\n%s\n", h.Title, h.Description)
	if len(h.Mitre) > 0 {
		fmt.Fprintf(w, "\nMITRE ATT&CK: %s\n", strings.Join(h.Mitre, "; "))
	}
	fmt.Fprintf(w, "\n%s\n", strings.TrimRight(h.Query, "\n"))
}

func newGenerateCmd() *cobra.Command {
	return &cobra.Command{
		Use:                "generate [flags]",
		Short:              "Write synthetic Defender telemetry for trying huntql out",
		DisableFlagParsing: true, // the generator parses its own flags
		RunE: func(cmd *cobra.Command, args []string) error {
			// gen.Main exits 2 for bad flags; huntql keeps 2 for query errors,
			// so every failure of generate is 1.
			if code := gen.Main(args, cmd.OutOrStdout(), cmd.ErrOrStderr()); code != 0 {
				return &exitError{code: exitFailure, err: fmt.Errorf("")}
			}
			return nil
		},
	}
}
