package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plugin"
	"github.com/huntql/huntql/internal/sema"
)

// The kinds of function `huntql functions` lists, in the order it lists them.
var functionKinds = []string{"scalar", "aggregate", "plugin"}

// supportedFunctions returns the sorted names huntql supports of kind
// (one of functionKinds).
func supportedFunctions(kind string) []string {
	var names []string
	switch kind {
	case "scalar":
		names = append(functions.ScalarNames(), sema.SpecialFunctions()...)
	case "aggregate":
		names = functions.AggregateNames()
	case "plugin":
		names = plugin.Names()
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func newFunctionsCmd() *cobra.Command {
	var format, kind string
	cmd := &cobra.Command{
		Use:   "functions [flags]",
		Short: "List the scalar functions, aggregates and plugins huntql supports",
		Long: `List the KQL scalar functions, aggregates (of summarize and friends) and
evaluate plugins that huntql supports, including Kusto's deprecated aliases
such as parsejson.

As text, each kind is a section of names; with --kind, the names of that kind
alone print one a line. As JSON, one object maps each kind to its names:
{"scalar": [...], "aggregate": [...], "plugin": [...]}.`,
		Example: `  huntql functions
  huntql functions --kind aggregate
  huntql functions --format json | jq '.scalar | length'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, reportFormats); err != nil {
				return err
			}
			kinds := functionKinds
			if kind != "" {
				if !slices.Contains(functionKinds, kind) {
					return &exitError{exitFailure, fmt.Errorf(
						"huntql: unknown --kind %q; expected %s", kind, orList(functionKinds))}
				}
				kinds = []string{kind}
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				all := map[string][]string{}
				for _, k := range kinds {
					all[k] = supportedFunctions(k)
				}
				enc := json.NewEncoder(w)
				enc.SetEscapeHTML(false)
				return enc.Encode(all)
			}
			if kind != "" {
				for _, name := range supportedFunctions(kind) {
					fmt.Fprintln(w, name)
				}
				return nil
			}
			for i, k := range kinds {
				names := supportedFunctions(k)
				if i > 0 {
					fmt.Fprintln(w)
				}
				fmt.Fprintf(w, "%s (%d):\n", kindTitle(k), len(names))
				writeWrapped(w, names, "  ", 80)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&kind, "kind", "", "list only this kind: scalar, aggregate or plugin")
	return cmd
}

// kindTitle is a section title for a kind of function.
func kindTitle(kind string) string {
	switch kind {
	case "scalar":
		return "Scalar functions"
	case "aggregate":
		return "Aggregates"
	}
	return "Plugins"
}

// writeWrapped prints words separated by spaces in lines of at most width
// columns (a longer word has a line of its own), each starting with indent.
func writeWrapped(w io.Writer, words []string, indent string, width int) {
	var line strings.Builder
	for _, word := range words {
		if line.Len() > 0 && line.Len()+1+len(word) > width {
			fmt.Fprintln(w, line.String())
			line.Reset()
		}
		if line.Len() == 0 {
			line.WriteString(indent)
		} else {
			line.WriteByte(' ')
		}
		line.WriteString(word)
	}
	if line.Len() > 0 {
		fmt.Fprintln(w, line.String())
	}
}
