package syntax

import "fmt"

// Kind is the lexical class of a token.
type Kind uint8

// Token kinds. Kusto has almost no reserved words: every word scans as an
// Ident and the parser decides from context whether it is a keyword.
const (
	TokEOF      Kind = iota
	TokIllegal       // a character or literal the scanner could not read; already reported
	TokIdent         // a name, keyword or dashed operator part; also $left and $right
	TokLong          // an integer literal: 12, 0x1F
	TokReal          // a real literal: 1.5, 1e3
	TokTimespan      // a timespan literal: 1d, 1.5h, 10ms
	TokString        // a string literal in any quoting; Val holds its decoded value
	TokTypedLit      // a literal in call form with raw contents: datetime(...), guid(...), ...
	TokOp            // punctuation or an operator; Text says which
)

var kindNames = [...]string{
	TokEOF:      "end of query",
	TokIllegal:  "illegal token",
	TokIdent:    "identifier",
	TokLong:     "number",
	TokReal:     "number",
	TokTimespan: "timespan",
	TokString:   "string",
	TokTypedLit: "literal",
	TokOp:       "operator",
}

// String returns a short description of the kind for error messages.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Token is one lexical token.
type Token struct {
	Kind Kind
	Pos  Pos    // offset of the first byte
	End  Pos    // offset just past the last byte
	Text string // the source text of the token
	// Val is the decoded value of a String token, or the raw text between
	// the parentheses of a TypedLit token.
	Val string
	// Name is the lower-cased type word of a TypedLit token (datetime, guid, ...).
	Name string
	// Obfuscated marks h'...' strings, which Kusto keeps out of its logs.
	Obfuscated bool
}

// describe renders the token for "found X" in error messages.
func (t Token) describe() string {
	switch t.Kind {
	case TokEOF:
		return "end of query"
	case TokString:
		if len(t.Text) > 24 {
			return "string literal"
		}
		return t.Text
	}
	if len(t.Text) > 24 {
		return fmt.Sprintf("%q", t.Text[:24]+"...")
	}
	return fmt.Sprintf("%q", t.Text)
}

// span returns the token's span.
func (t Token) span() Span { return Span{t.Pos, t.End} }

// typedLitNames are the words that, directly followed by '(', start a
// literal whose contents are raw text rather than tokens. dynamic is not
// among them: its contents are tokens (JSON with Kusto literals).
var typedLitNames = map[string]bool{
	"bool": true, "boolean": true,
	"int": true, "int32": true, "long": true, "int64": true,
	"real": true, "double": true, "decimal": true,
	"datetime": true, "date": true,
	"timespan": true, "time": true,
	"guid": true, "uniqueid": true,
}

// multiOps are the operators of two characters. Graph arrows (-->, <-) are
// not among them, so that x<-1 still scans as x < -1.
var multiOps = []string{"==", "!=", "<>", "<=", ">=", "=~", "!~", "..", "=>"}
