package main

import (
	"slices"
	"strings"

	"github.com/huntql/huntql/internal/output"
	"github.com/huntql/huntql/internal/schema"
	"github.com/huntql/huntql/internal/syntax"
)

// metaCommands are the REPL's meta-commands, for completion.
var metaCommands = []string{".exit", ".format", ".help", ".quit", ".schema", ".tables"}

// queryKeywords are words that complete inside a query besides names:
// statement starts and the keywords within operators.
var queryKeywords = []string{
	"and", "asc", "between", "by", "contains", "declare", "desc", "dynamic", "endswith",
	"false", "has", "has_all", "has_any", "hasprefix", "hassuffix", "in", "kind", "let",
	"matches", "not", "nulls", "on", "or", "regex", "set", "startswith", "step", "to",
	"true", "typeof", "with",
}

// completer completes the word before the cursor in the REPL.
type completer struct{ r *repl }

// Do implements readline.AutoCompleter: it returns the endings of the
// candidates that start with the word before pos, and the word's length.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	before := string(line[:pos])
	cands, word := c.candidates(strings.Join(c.r.pending, "\n"), before)
	var out [][]rune
	for _, cand := range cands {
		if strings.HasPrefix(cand, word) && cand != word {
			out = append(out, []rune(cand[len(word):]+c.suffix(cand)))
		}
	}
	return out, len([]rune(word))
}

// suffix is what follows a completed word: "(" after a function name, a
// space after a table, an operator or a meta-command, nothing after other
// names such as columns.
func (c *completer) suffix(word string) string {
	if _, table := c.r.eng.Table(word); table ||
		slices.Contains(syntax.OperatorNames(), word) || slices.Contains(metaCommands, word) {
		return " "
	}
	if slices.Contains(supportedFunctions("scalar"), word) ||
		slices.Contains(supportedFunctions("aggregate"), word) ||
		slices.Contains(supportedFunctions("plugin"), word) {
		return "("
	}
	return ""
}

// candidates returns the words that may complete the text before the
// cursor on the current line, given the lines typed before it, and the
// partial word they would replace.
func (c *completer) candidates(pending, before string) ([]string, string) {
	if pending == "" && strings.HasPrefix(strings.TrimLeft(before, " \t"), ".") {
		return c.metaCandidates(strings.TrimLeft(before, " \t"))
	}
	word := trailingWord(before, true)
	rest := strings.TrimRight(before[:len(before)-len(word)], " \t")
	switch {
	case strings.HasSuffix(rest, "|"):
		return syntax.OperatorNames(), word
	case trailingWord(rest, true) == "evaluate":
		return supportedFunctions("plugin"), word
	case strings.TrimSpace(pending) == "" && rest == "":
		// The start of a query: a table or a statement.
		return append(c.r.eng.Tables(), "datatable", "declare", "let", "print", "range",
			"set", "union"), word
	}
	word = trailingWord(before, false)
	var cands []string
	for _, t := range mentionedTables(c.r, pending+"\n"+before) {
		cols, _ := c.r.eng.Table(t)
		for _, col := range cols {
			cands = append(cands, col.Name)
		}
	}
	cands = append(cands, queryKeywords...)
	if word != "" {
		// Functions and tables only with a prefix: there are too many to list.
		cands = append(cands, supportedFunctions("scalar")...)
		cands = append(cands, supportedFunctions("aggregate")...)
		cands = append(cands, c.r.eng.Tables()...)
	}
	slices.Sort(cands)
	return slices.Compact(cands), word
}

// metaCandidates completes a meta-command line.
func (c *completer) metaCandidates(line string) ([]string, string) {
	name, arg, found := strings.Cut(line, " ")
	if !found {
		return metaCommands, name
	}
	arg = strings.TrimLeft(arg, " ")
	switch name {
	case ".schema", ".tables":
		return c.r.eng.Tables(), arg
	case ".format":
		return output.Formats, arg
	}
	return nil, arg
}

// trailingWord returns the identifier that ends s; with dashes, it may
// hold dashes, as operator names such as mv-expand do.
func trailingWord(s string, dashes bool) string {
	i := len(s)
	for i > 0 {
		b := s[i-1]
		if b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' ||
			dashes && b == '-' {
			i--
			continue
		}
		break
	}
	return s[i:]
}

// mentionedTables returns the known tables whose names occur as words in text.
func mentionedTables(r *repl, text string) []string {
	var out []string
	words := strings.FieldsFunc(text, func(c rune) bool {
		return c != '_' && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
	})
	for _, w := range words {
		if _, ok := r.eng.Table(w); ok && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// defenderTables returns the built-in Defender tables, sorted.
func defenderTables() []string { return schema.DefenderTables() }

// closestName returns the candidate closest to name, or "".
func closestName(name string, candidates []string) string {
	return schema.ClosestOf(name, candidates)
}
