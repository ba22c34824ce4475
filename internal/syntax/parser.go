package syntax

import (
	"fmt"
	"strings"
)

// maxDepth bounds the nesting of expressions and literals, so that
// adversarial input cannot exhaust the stack.
const maxDepth = 200

// Parse parses a whole script. On failure it returns the partial tree and
// an ErrorList sorted by position.
func Parse(src *Source) (*Script, error) {
	p := newParser(src)
	script := p.parseScript()
	return script, p.err()
}

// ParseExpr parses a single expression, scalar or tabular, such as a
// pipeline or a predicate.
func ParseExpr(src *Source) (Expr, error) {
	p := newParser(src)
	x := p.parsePipeExpr()
	if p.tok().Kind != TokEOF {
		p.expected("end of expression")
	}
	return x, p.err()
}

// parser is a recursive-descent parser over a pre-scanned token slice.
type parser struct {
	src    *Source
	toks   []Token // ends with EOF
	i      int     // index of the current token
	errs   ErrorList
	silent bool // an error was reported since the last sync point
	depth  int  // current nesting of expressions
	// inSearch is set while reading a search predicate, where Col:"term" is allowed.
	inSearch bool
}

func newParser(src *Source) *parser {
	toks, errs := Scan(src)
	p := &parser{src: src, toks: toks}
	p.errs = append(p.errs, errs...)
	return p
}

func (p *parser) err() error {
	p.errs.Sort()
	return p.errs.Err()
}

// ---- token helpers ----

func (p *parser) tok() Token { return p.toks[p.i] }

// peek returns the token n places ahead of the current one.
func (p *parser) peek(n int) Token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() Token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

// atPipeEnd reports whether the current token ends an operator: the end of
// the query, "|", ";" or a closing bracket.
func (p *parser) atPipeEnd() bool {
	t := p.tok()
	if t.Kind == TokEOF {
		return true
	}
	return t.Kind == TokOp && (t.Text == "|" || t.Text == ";" || t.Text == ")" || t.Text == "}")
}

// prevEnd is the end of the last consumed token.
func (p *parser) prevEnd() Pos {
	if p.i == 0 {
		return 0
	}
	return p.toks[p.i-1].End
}

// isOp reports whether the current token is the operator op.
func (p *parser) isOp(op string) bool {
	t := p.tok()
	return t.Kind == TokOp && t.Text == op
}

// isWord reports whether the current token is the identifier w (case-sensitive).
func (p *parser) isWord(w string) bool {
	t := p.tok()
	return t.Kind == TokIdent && t.Text == w
}

func (p *parser) gotOp(op string) bool {
	if p.isOp(op) {
		p.next()
		return true
	}
	return false
}

func (p *parser) gotWord(w string) bool {
	if p.isWord(w) {
		p.next()
		return true
	}
	return false
}

// adjacent reports whether the token n ahead directly follows the one
// before it, with no space between.
func (p *parser) adjacent(n int) bool {
	return p.peek(n).Pos == p.peek(n-1).End
}

// dashedWord reads a word that may contain dashes, such as project-away or
// granny-asc, when its parts are written without spaces; it returns the
// word and how many tokens it spans, without consuming them.
func (p *parser) dashedWord() (string, int) {
	t := p.tok()
	if t.Kind != TokIdent {
		return "", 0
	}
	word, n := t.Text, 1
	for {
		d, w := p.peek(n), p.peek(n+1)
		if d.Kind != TokOp || d.Text != "-" || !p.adjacent(n) || w.Kind != TokIdent || !p.adjacent(n+1) {
			return word, n
		}
		word += "-" + w.Text
		n += 2
	}
}

// ---- errors ----

func (p *parser) errorAt(sp Span, format string, args ...any) {
	if p.silent {
		return
	}
	p.silent = true
	p.errs.Add(p.atEOF(sp), format, args...)
}

// atEOF moves an error at the end of the query to just after the last token,
// so that a query followed by blank lines or comments, as every file ends,
// shows the line the query broke off on rather than an empty one.
func (p *parser) atEOF(sp Span) Span {
	t := p.tok()
	if t.Kind != TokEOF || sp != t.span() || p.i == 0 {
		return sp
	}
	end := p.prevEnd()
	return Span{end, end}
}

// expected reports "expected what, found <current token>".
func (p *parser) expected(what string) {
	t := p.tok()
	p.errorAt(t.span(), "expected %s, found %s", what, t.describe())
}

func (p *parser) expectOp(op string) Span {
	t := p.tok()
	if p.gotOp(op) {
		return t.span()
	}
	p.expected(fmt.Sprintf("%q", op))
	return t.span()
}

func (p *parser) expectWord(w string) {
	if !p.gotWord(w) {
		p.expected(fmt.Sprintf("%q", w))
	}
}

// skipTo advances to the next token at nesting depth zero that is one of
// the stop operators, or to EOF, skipping balanced brackets.
func (p *parser) skipTo(stops ...string) {
	depth := 0
	for {
		t := p.tok()
		if t.Kind == TokEOF {
			return
		}
		if t.Kind == TokOp {
			switch t.Text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				if depth == 0 {
					return
				}
				depth--
			default:
				if depth == 0 {
					for _, s := range stops {
						if t.Text == s {
							return
						}
					}
				}
			}
		}
		p.next()
	}
}

// ---- statements ----

func (p *parser) parseScript() *Script {
	s := &Script{}
	s.Sp.Start = p.tok().Pos
	for p.tok().Kind != TokEOF {
		if p.gotOp(";") {
			continue
		}
		start := p.i
		if st := p.parseStmt(); st != nil {
			s.Stmts = append(s.Stmts, st)
		}
		if p.tok().Kind != TokEOF && !p.isOp(";") {
			p.expected(`";" or end of query`)
			p.skipTo(";")
			if p.i == start || p.isOp(")") || p.isOp("]") || p.isOp("}") {
				p.next()
			}
		}
		p.silent = false
	}
	s.Sp.End = p.tok().End
	return s
}

func (p *parser) parseStmt() Stmt {
	start := p.tok().Pos
	switch {
	case p.isWord("let"):
		return p.parseLet()
	case p.isWord("set") && p.peek(1).Kind == TokIdent:
		p.next()
		st := &SetStmt{Name: p.parseDottedName()}
		if p.gotOp("=") {
			st.Value = p.parseSetValue()
		}
		st.Sp = Span{start, p.prevEnd()}
		return st
	case p.isPatternDecl():
		return p.parsePattern()
	case p.isWord("declare") && p.peek(1).Kind == TokIdent && p.peek(1).Text == "query_parameters":
		p.next()
		p.next()
		st := &DeclareStmt{}
		p.expectOp("(")
		st.Params = p.parseParams(")")
		p.expectOp(")")
		st.Sp = Span{start, p.prevEnd()}
		return st
	case p.isWord("alias") && p.peek(1).Kind == TokIdent && p.peek(1).Text == "database":
		p.next()
		p.next()
		st := &AliasStmt{Name: p.parseName("a database alias")}
		p.expectOp("=")
		st.Value = p.parsePipeExpr()
		st.Sp = Span{start, p.prevEnd()}
		return st
	}
	x := p.parsePipeExpr()
	return &ExprStmt{At: At{Span{start, p.prevEnd()}}, X: x}
}

// parseSetValue reads the value of a set statement: a literal or a bare word.
func (p *parser) parseSetValue() Expr {
	if p.tok().Kind == TokIdent {
		return p.parseDottedName()
	}
	return p.parseUnary()
}

// parseDottedName reads a name such as querytrace or hint.strategy.
func (p *parser) parseDottedName() *Ident {
	id := p.parseName("a name")
	for p.isOp(".") && p.adjacent(1) && p.peek(1).Kind == TokIdent && p.adjacent(2) {
		p.next()
		t := p.next()
		id.Name += "." + t.Text
		id.Sp.End = t.End
	}
	return id
}

func (p *parser) parseLet() Stmt {
	start := p.next().Pos
	st := &LetStmt{Name: p.parseName("a name after let")}
	p.expectOp("=")
	view := false
	if p.isWord("view") && p.peek(1).Kind == TokOp && p.peek(1).Text == "(" {
		p.next()
		view = true
	}
	if p.isFuncLit() {
		f := p.parseFuncLit()
		f.View = view
		st.Value = f
	} else {
		st.Value = p.parsePipeExpr()
	}
	st.Sp = Span{start, p.prevEnd()}
	return st
}

// isFuncLit reports whether a '(' starts a function literal: the matching
// ')' is followed by '{'.
func (p *parser) isFuncLit() bool {
	if !p.isOp("(") {
		return false
	}
	depth := 0
	for n := 0; ; n++ {
		t := p.peek(n)
		if t.Kind == TokEOF {
			return false
		}
		if t.Kind != TokOp {
			continue
		}
		switch t.Text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				nx := p.peek(n + 1)
				return nx.Kind == TokOp && nx.Text == "{"
			}
		}
	}
}

func (p *parser) parseFuncLit() *FuncLit {
	f := &FuncLit{}
	f.Sp.Start = p.expectOp("(").Start
	f.Params = p.parseParams(")")
	p.expectOp(")")
	f.Body = p.parseBlock()
	f.Sp.End = p.prevEnd()
	return f
}

// parseBlock reads { stmt; ...; result }.
func (p *parser) parseBlock() *Block {
	b := &Block{}
	b.Sp.Start = p.expectOp("{").Start
	defer p.leave()
	if !p.enter() {
		p.skipTo("}")
		return b
	}
	for !p.isOp("}") && p.tok().Kind != TokEOF {
		if p.gotOp(";") {
			continue
		}
		start := p.i
		st := p.parseStmt()
		if es, ok := st.(*ExprStmt); ok && !p.isOp(";") {
			b.Result = es.X
		} else if st != nil {
			b.Stmts = append(b.Stmts, st)
		}
		if !p.isOp(";") && !p.isOp("}") {
			p.expected(`";" or "}"`)
			p.skipTo(";")
			if p.i == start {
				p.next()
			}
		}
	}
	p.expectOp("}")
	b.Sp.End = p.prevEnd()
	return b
}

// parseParams reads name: type [= default], ... up to close (not consumed).
func (p *parser) parseParams(close string) []*Param {
	var params []*Param
	for !p.isOp(close) && p.tok().Kind != TokEOF {
		pm := &Param{}
		pm.Sp.Start = p.tok().Pos
		pm.Name = p.parseName("a parameter name")
		p.expectOp(":")
		pm.Type = p.parseTypeRef()
		if p.gotOp("=") {
			pm.Default = p.parseOr()
		}
		pm.Sp.End = p.prevEnd()
		params = append(params, pm)
		if !p.gotOp(",") {
			break
		}
	}
	return params
}

// parseTypeRef reads a scalar type name, (*) or (Col: type, ...).
func (p *parser) parseTypeRef() *TypeRef {
	tr := &TypeRef{}
	tr.Sp.Start = p.tok().Pos
	defer p.leave()
	if !p.enter() {
		p.skipTo(")")
		return tr
	}
	if p.isOp("(") {
		p.next()
		if p.gotOp("*") {
			tr.Star = true
			if p.gotOp(",") {
				tr.Columns = p.parseColumnDecls(")")
			}
		} else {
			tr.Columns = p.parseColumnDecls(")")
		}
		p.expectOp(")")
	} else {
		t := p.tok()
		if t.Kind != TokIdent {
			p.expected("a type name")
			return tr
		}
		p.next()
		tr.Name = strings.ToLower(t.Text)
		if typ, ok := scalarType(t.Text); ok {
			tr.Scalar = typ
		} else {
			p.errorAt(t.span(), "expected a scalar type name, found %q", t.Text)
		}
	}
	tr.Sp.End = p.prevEnd()
	return tr
}

// parseColumnDecls reads Name: type, ... up to close (not consumed).
func (p *parser) parseColumnDecls(close string) []*ColumnDecl {
	var cols []*ColumnDecl
	for !p.isOp(close) && p.tok().Kind != TokEOF {
		cd := &ColumnDecl{}
		cd.Sp.Start = p.tok().Pos
		cd.Name = p.parseName("a column name")
		p.expectOp(":")
		cd.Type = p.parseTypeRef()
		cd.Sp.End = p.prevEnd()
		cols = append(cols, cd)
		if !p.gotOp(",") {
			break
		}
	}
	return cols
}

// parseName reads an identifier or a bracketed name ['Name'] / ["Name"].
func (p *parser) parseName(what string) *Ident {
	t := p.tok()
	switch {
	case t.Kind == TokIdent:
		p.next()
		return &Ident{At: At{t.span()}, Name: t.Text}
	case t.Kind == TokOp && t.Text == "[" && p.peek(1).Kind == TokString &&
		p.peek(2).Kind == TokOp && p.peek(2).Text == "]":
		p.next()
		s := p.next()
		end := p.next()
		return &Ident{At: At{Span{t.Pos, end.End}}, Name: s.Val, Quoted: true}
	}
	p.expected(what)
	return &Ident{At: At{Span{t.Pos, t.Pos}}}
}

// isName reports whether the current token can start a name.
func (p *parser) isName() bool {
	t := p.tok()
	return t.Kind == TokIdent || t.Kind == TokOp && t.Text == "[" && p.peek(1).Kind == TokString &&
		p.peek(2).Kind == TokOp && p.peek(2).Text == "]"
}
