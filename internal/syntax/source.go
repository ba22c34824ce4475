// Package syntax holds the KQL front end: tokens, the scanner, the abstract
// syntax tree, the parser and the printer, and the positioned diagnostics
// every later stage reports through.
package syntax

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a byte offset into a Source's text. It becomes line:col only when printed.
type Pos int

// NoPos marks a node or error without a position.
const NoPos Pos = -1

// Span is a half-open range [Start, End) of byte offsets.
type Span struct {
	Start, End Pos
}

// Source is a named query text, such as a file or "<query>".
type Source struct {
	Name  string
	Text  string
	lines []int // offsets of line starts, computed lazily
}

// NewSource returns a Source for text named name.
func NewSource(name, text string) *Source {
	return &Source{Name: name, Text: text}
}

// Position returns the 1-based line and column (in bytes, counting a tab as one) of p.
func (s *Source) Position(p Pos) (line, col int) {
	if s.lines == nil {
		s.lines = []int{0}
		for i := 0; i < len(s.Text); i++ {
			if s.Text[i] == '\n' {
				s.lines = append(s.lines, i+1)
			}
		}
	}
	off := int(p)
	if off < 0 {
		return 0, 0
	}
	if off > len(s.Text) {
		off = len(s.Text)
	}
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	return i + 1, off - s.lines[i] + 1
}

// Line returns the text of 1-based line n without its line break.
func (s *Source) Line(n int) string {
	s.Position(0)
	if n < 1 || n > len(s.lines) {
		return ""
	}
	start := s.lines[n-1]
	end := len(s.Text)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	return strings.TrimSuffix(s.Text[start:end], "\r")
}

// Error is a diagnostic about a query, anchored at a span of its source.
type Error struct {
	Span Span
	Msg  string // lowercase; says what was expected and what was found
}

func (e *Error) Error() string { return e.Msg }

// ErrorList is a list of diagnostics. Its Error method prints the first one.
type ErrorList []*Error

// Add appends an error at span.
func (l *ErrorList) Add(span Span, format string, args ...any) {
	*l = append(*l, &Error{Span: span, Msg: fmt.Sprintf(format, args...)})
}

// Sort orders the list by position and drops repeats of an error at one offset.
func (l *ErrorList) Sort() {
	list := *l
	sort.SliceStable(list, func(i, j int) bool { return list[i].Span.Start < list[j].Span.Start })
	out := list[:0]
	for i, e := range list {
		if i > 0 && e.Span.Start == list[i-1].Span.Start && e.Msg == list[i-1].Msg {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// Err returns the list as an error, or nil if it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Msg
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Msg, len(l)-1)
}

// Diagnostic is an error resolved against its source: what tools print and
// what `huntql check --format json` reports.
type Diagnostic struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Msg  string `json:"message"`
}

// Resolve turns e into a Diagnostic with a line and column in src.
func (src *Source) Resolve(e *Error) Diagnostic {
	line, col := src.Position(e.Span.Start)
	return Diagnostic{File: src.Name, Line: line, Col: col, Msg: e.Msg}
}

// Format prints e as "file:line:col: message", then the source line and a
// caret under the fault, the form every huntql command reports errors in.
func (src *Source) Format(e *Error) string {
	d := src.Resolve(e)
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s\n", d.File, d.Line, d.Col, d.Msg)
	text := src.Line(d.Line)
	caretCol := d.Col - 1
	if caretCol > len(text) {
		caretCol = len(text)
	}
	// Show at most a window of a long line around the caret.
	const window = 120
	if caretCol > window/2 {
		cut := caretCol - window/2
		text, caretCol = "..."+text[cut:], caretCol-cut+3
	}
	if len(text) > caretCol+window/2 {
		text = text[:caretCol+window/2] + "..."
	}
	text = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(text, "?"))
	b.WriteString("    ")
	b.WriteString(strings.ReplaceAll(text, "\t", " "))
	b.WriteString("\n    ")
	b.WriteString(strings.Repeat(" ", runeWidth(text[:max(caretCol, 0)])))
	b.WriteString("^\n")
	return b.String()
}

// MaxReported is how many errors FormatAll prints before summarizing the rest.
const MaxReported = 10

// FormatAll prints the errors of err that is an *Error or ErrorList (at most
// MaxReported of them); other errors print as "file: message".
func (src *Source) FormatAll(err error) string {
	var b strings.Builder
	switch e := err.(type) {
	case ErrorList:
		for i, x := range e {
			if i == MaxReported {
				fmt.Fprintf(&b, "%s: %d more errors not shown\n", src.Name, len(e)-i)
				break
			}
			b.WriteString(src.Format(x))
		}
	case *Error:
		b.WriteString(src.Format(e))
	default:
		fmt.Fprintf(&b, "%s: %v\n", src.Name, err)
	}
	return b.String()
}

// runeWidth counts the runes of s so that a caret lines up under multi-byte text.
func runeWidth(s string) int {
	return len([]rune(s))
}
