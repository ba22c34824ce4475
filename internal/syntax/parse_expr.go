package syntax

import (
	"math"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// sourceOps are the operators that can start a pipeline without a source table.
var sourceOps = map[string]bool{
	"print": true, "range": true, "datatable": true, "union": true, "find": true,
	"search": true, "evaluate": true, "externaldata": true, "external_data": true,
}

// notFollowers are tokens after which a source operator word is a plain name.
var notFollowers = map[string]bool{
	",": true, ")": true, ";": true, ".": true, "=": true, "==": true, "!=": true,
	"|": true, "]": true, "}": true, "<": true, ">": true, "+": true, "*": true, "/": true,
}

// atSourceOp reports whether the current token starts a source operator.
func (p *parser) atSourceOp() bool {
	t := p.tok()
	if t.Kind != TokIdent || !sourceOps[t.Text] {
		return false
	}
	nx := p.peek(1)
	switch t.Text {
	case "range":
		return nx.Kind == TokIdent && p.peek(2).Kind == TokIdent && p.peek(2).Text == "from"
	case "datatable", "externaldata", "external_data":
		return nx.Kind == TokOp && nx.Text == "(" || nx.Kind == TokIdent
	case "evaluate":
		return nx.Kind == TokIdent
	case "union", "search", "find":
		// union * (every table), search * has "x" and find * has "x" start
		// a pipeline.
		if nx.Kind == TokOp && nx.Text == "*" {
			return true
		}
		// Alone, they are still the operator (whose parser then says what it
		// expected), not an unknown table of that name.
		if nx.Kind == TokEOF || nx.Kind == TokOp && (nx.Text == ";" || nx.Text == "|") {
			return true
		}
	}
	if nx.Kind == TokEOF {
		return false
	}
	return nx.Kind != TokOp || !notFollowers[nx.Text]
}

// parsePipeExpr reads an expression that may be a pipeline: X | op | op.
func (p *parser) parsePipeExpr() Expr {
	start := p.tok().Pos
	pl := &Pipeline{}
	if p.atSourceOp() {
		if op := p.parseOperator(); op != nil {
			pl.Ops = append(pl.Ops, op)
		}
	} else {
		pl.Source = p.parseOr()
		if !p.isOp("|") {
			return pl.Source
		}
	}
	p.parsePipeTail(pl)
	pl.Sp = Span{start, p.prevEnd()}
	return pl
}

// parsePipeTail reads | op | op ... onto pl.
func (p *parser) parsePipeTail(pl *Pipeline) {
	for p.gotOp("|") {
		before := len(p.errs)
		if op := p.parseOperator(); op != nil {
			pl.Ops = append(pl.Ops, op)
		}
		if len(p.errs) > before {
			p.skipTo("|", ";")
			p.silent = false
		}
	}
}

// parseSubquery reads the body of mv-apply on (...), partition (...), fork
// (...) and facet with (...): a pipeline whose first operator applies to
// the implicit input, so its Source is nil. A leading name followed by |
// (a table reference) is accepted as a source too.
func (p *parser) parseSubquery() *Pipeline {
	pl := &Pipeline{}
	pl.Sp.Start = p.tok().Pos
	if _, n := p.operatorStart(); n > 0 {
		if op := p.parseOperator(); op != nil {
			pl.Ops = append(pl.Ops, op)
		}
	} else {
		pl.Source = p.parseOr()
	}
	p.parsePipeTail(pl)
	pl.Sp.End = p.prevEnd()
	return pl
}

// enter counts one more level of nesting; it reports an error and returns
// false past maxDepth. Every call must be paired with leave.
func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.errorAt(p.tok().span(), "expected at most %d levels of nesting, found more", maxDepth)
		return false
	}
	return true
}

func (p *parser) leave() { p.depth-- }

func binary(op string, opSpan Span, x, y Expr) *BinaryExpr {
	return &BinaryExpr{At: At{Span{x.Span().Start, y.Span().End}}, Op: op, OpSpan: opSpan, X: x, Y: y}
}

func (p *parser) parseOr() Expr {
	if !p.enter() {
		p.leave()
		return p.bad()
	}
	defer p.leave()
	x := p.parseAnd()
	for p.isWord("or") {
		t := p.next()
		x = binary("or", t.span(), x, p.parseAnd())
	}
	return x
}

func (p *parser) parseAnd() Expr {
	x := p.parseCompare()
	for p.isWord("and") {
		t := p.next()
		x = binary("and", t.span(), x, p.parseCompare())
	}
	return x
}

// stringOps are the word operators at comparison level; each also has a
// negated form written with a leading '!'.
var stringOps = map[string]bool{
	"contains": true, "contains_cs": true, "has": true, "has_cs": true,
	"hasprefix": true, "hasprefix_cs": true, "hassuffix": true, "hassuffix_cs": true,
	"startswith": true, "startswith_cs": true, "endswith": true, "endswith_cs": true,
	"like": true, "like_cs": true,
}

// legacyOps are old spellings of negated string operators.
var legacyOps = map[string]string{
	"notcontains": "!contains", "notcontainscs": "!contains_cs",
	"containscs": "contains_cs", "nothas": "!has", "notlike": "!like",
}

var compareOps = map[string]bool{
	"==": true, "!=": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true,
	"=~": true, "!~": true,
}

// compareOp reads the comparison-level operator at the current token, if
// any, returning its canonical spelling, its span and the token count.
func (p *parser) compareOp() (string, Span, int) {
	t := p.tok()
	switch t.Kind {
	case TokOp:
		if compareOps[t.Text] {
			if t.Text == "<>" {
				return "!=", t.span(), 1
			}
			return t.Text, t.span(), 1
		}
		if t.Text == ":" && p.inSearch {
			return ":", t.span(), 1
		}
		nx := p.peek(1)
		if t.Text != "!" || nx.Kind != TokIdent || !p.adjacent(1) {
			return "", Span{}, 0
		}
		if stringOps[nx.Text] || nx.Text == "between" {
			return "!" + nx.Text, Span{t.Pos, nx.End}, 2
		}
		if nx.Text == "in" {
			if til := p.peek(2); til.Kind == TokOp && til.Text == "~" && p.adjacent(2) {
				return "!in~", Span{t.Pos, til.End}, 3
			}
			return "!in", Span{t.Pos, nx.End}, 2
		}
	case TokIdent:
		switch {
		case stringOps[t.Text], t.Text == "has_any", t.Text == "has_all", t.Text == "between":
			return t.Text, t.span(), 1
		case legacyOps[t.Text] != "":
			return legacyOps[t.Text], t.span(), 1
		case t.Text == "in":
			if til := p.peek(1); til.Kind == TokOp && til.Text == "~" && p.adjacent(1) {
				return "in~", Span{t.Pos, til.End}, 2
			}
			return "in", t.span(), 1
		case t.Text == "matches":
			if nx := p.peek(1); nx.Kind == TokIdent && nx.Text == "regex" {
				return "matches regex", Span{t.Pos, nx.End}, 2
			}
		}
	}
	return "", Span{}, 0
}

func (p *parser) parseCompare() Expr {
	x := p.parseAdditive()
	for {
		op, sp, n := p.compareOp()
		if n == 0 {
			return x
		}
		p.i += n
		switch op {
		case "in", "!in", "in~", "!in~", "has_any", "has_all":
			in := &InExpr{Op: op, OpSpan: sp, X: x}
			p.expectOp("(")
			if p.isOp(")") {
				// Kusto has no empty set: x in () is a syntax error.
				p.expected("an expression")
			}
			in.List = p.parseExprList(")")
			p.expectOp(")")
			in.Sp = Span{x.Span().Start, p.prevEnd()}
			x = in
		case "between", "!between":
			b := &BetweenExpr{X: x, Not: op == "!between"}
			p.expectOp("(")
			b.Lo = p.parseAdditive()
			p.expectOp("..")
			b.Hi = p.parseAdditive()
			p.expectOp(")")
			b.Sp = Span{x.Span().Start, p.prevEnd()}
			x = b
		default:
			x = binary(op, sp, x, p.parseAdditive())
		}
	}
}

// parseExprList reads pipe expressions separated by commas up to close
// (not consumed).
func (p *parser) parseExprList(close string) []Expr {
	var list []Expr
	for !p.isOp(close) && p.tok().Kind != TokEOF {
		list = append(list, p.parsePipeExpr())
		if !p.gotOp(",") {
			break
		}
	}
	return list
}

func (p *parser) parseAdditive() Expr {
	x := p.parseMul()
	for p.isOp("+") || p.isOp("-") {
		t := p.next()
		x = binary(t.Text, t.span(), x, p.parseMul())
	}
	return x
}

func (p *parser) parseMul() Expr {
	x := p.parseUnary()
	for p.isOp("*") || p.isOp("/") || p.isOp("%") {
		t := p.next()
		x = binary(t.Text, t.span(), x, p.parseUnary())
	}
	return x
}

func (p *parser) parseUnary() Expr {
	if !p.enter() {
		p.leave()
		return p.bad()
	}
	defer p.leave()
	if p.isOp("-") || p.isOp("+") {
		t := p.next()
		x := p.parseUnary()
		span := Span{t.Pos, x.Span().End}
		if lit := minLong(t.Text, x); lit != nil {
			lit.At = At{span}
			return lit
		}
		return &UnaryExpr{At: At{span}, Op: t.Text, X: x}
	}
	return p.parsePostfix(p.parsePrimary())
}

// minLong returns the long literal -9223372036854775808 when op is "-"
// and x is the literal 9223372036854775808, which alone does not fit a
// long; else nil.
func minLong(op string, x Expr) *Literal {
	lit, ok := x.(*Literal)
	if !ok || op != "-" || lit.Kind != LitReal || lit.Raw != "9223372036854775808" {
		return nil
	}
	return &Literal{Kind: LitLong, Type: types.Long, Value: int64(math.MinInt64),
		Raw: "-" + lit.Raw}
}

// bad returns a placeholder for an expression that could not be read.
func (p *parser) bad() Expr {
	t := p.tok()
	return &BadExpr{At: At{Span{t.Pos, t.Pos}}}
}

func (p *parser) parsePostfix(x Expr) Expr {
	for {
		switch {
		case p.isOp("."):
			p.next()
			if p.isOp("[") && !p.isName() {
				continue // x.[expr] indexes as x[expr] does (parse_urlquery's doc)
			}
			if p.tok().Kind == TokIdent && p.peek(1).Kind == TokOp && p.peek(1).Text == "(" {
				call := p.parseCall()
				x = &MethodCallExpr{At: At{Span{x.Span().Start, p.prevEnd()}}, X: x, Call: call}
				continue
			}
			name := p.parseMemberName()
			x = &MemberExpr{At: At{Span{x.Span().Start, p.prevEnd()}}, X: x, Name: name}
		case p.isOp("["):
			p.next()
			idx := p.parseOr()
			p.expectOp("]")
			x = &IndexExpr{At: At{Span{x.Span().Start, p.prevEnd()}}, X: x, Index: idx}
		default:
			return x
		}
	}
}

// parseMemberName reads the name after '.', which may be any word,
// including a type word that scanned as a literal, or a bracketed name.
func (p *parser) parseMemberName() *Ident {
	t := p.tok()
	if t.Kind == TokLong && p.adjacent(0) {
		p.next()
		return &Ident{At: At{t.span()}, Name: t.Text}
	}
	return p.parseName("a member name")
}

func (p *parser) parseCall() *CallExpr {
	t := p.next()
	call := &CallExpr{Fun: &Ident{At: At{t.span()}, Name: t.Text}}
	p.expectOp("(")
	call.Args = p.parseArgs()
	p.expectOp(")")
	call.Sp = Span{t.Pos, p.prevEnd()}
	return call
}

// parseArgs reads call arguments up to ')' (not consumed): expressions,
// pipelines, a lone *, or Name = Value.
func (p *parser) parseArgs() []Expr {
	var args []Expr
	for !p.isOp(")") && p.tok().Kind != TokEOF {
		args = append(args, p.parseArg())
		if !p.gotOp(",") {
			break
		}
	}
	return args
}

func (p *parser) parseArg() Expr {
	t := p.tok()
	if t.Kind == TokOp && t.Text == "*" {
		if nx := p.peek(1); nx.Kind == TokOp && (nx.Text == "," || nx.Text == ")") {
			p.next()
			return &StarExpr{At: At{t.span()}}
		}
	}
	if p.isName() && p.nameThenAssign() {
		name := p.parseName("a name")
		p.next()
		v := p.parsePipeExpr()
		return &NamedArg{At: At{Span{t.Pos, p.prevEnd()}}, Name: name, Value: v}
	}
	return p.parsePipeExpr()
}

func (p *parser) parsePrimary() Expr {
	t := p.tok()
	switch t.Kind {
	case TokLong, TokReal, TokTimespan, TokTypedLit:
		p.next()
		return p.literal(t)
	case TokString:
		return p.parseStringLit()
	case TokIdent:
		nx := p.peek(1)
		switch t.Text {
		case "true", "false", "True", "False", "TRUE", "FALSE":
			p.next()
			return &Literal{At: At{t.span()}, Kind: LitBool, Type: types.Bool,
				Value: strings.ToLower(t.Text) == "true", Raw: t.Text}
		case "dynamic":
			if nx.Kind == TokOp && nx.Text == "(" {
				return p.parseDynamicLit()
			}
		case "typeof":
			if nx.Kind == TokOp && nx.Text == "(" {
				p.next()
				p.next()
				tr := p.parseTypeOfBody()
				p.expectOp(")")
				return &TypeOfExpr{At: At{Span{t.Pos, p.prevEnd()}}, Type: tr}
			}
		}
		if nx.Kind == TokOp && nx.Text == "(" {
			return p.parseCall()
		}
		p.next()
		return &Ident{At: At{t.span()}, Name: t.Text}
	case TokOp:
		switch t.Text {
		case "(":
			p.next()
			x := p.parsePipeExpr()
			p.expectOp(")")
			return &ParenExpr{At: At{Span{t.Pos, p.prevEnd()}}, X: x}
		case "[":
			if p.isName() {
				return p.parseName("a name")
			}
		case "*":
			p.next()
			return &StarExpr{At: At{t.span()}}
		}
	}
	p.expected("an expression")
	if t.Kind != TokEOF && !(t.Kind == TokOp && strings.Contains("|;)]},", t.Text)) {
		p.next()
	}
	return &BadExpr{At: At{t.span()}}
}

// parseTypeOfBody reads the inside of typeof(...): a scalar type or a
// column list.
func (p *parser) parseTypeOfBody() *TypeRef {
	start := p.tok().Pos
	if p.isOp("*") {
		p.next()
		tr := &TypeRef{Star: true}
		if p.gotOp(",") {
			tr.Columns = p.parseColumnDecls(")")
		}
		tr.Sp = Span{start, p.prevEnd()}
		return tr
	}
	if p.tok().Kind == TokIdent && p.peek(1).Kind == TokOp && p.peek(1).Text == ":" {
		tr := &TypeRef{Columns: p.parseColumnDecls(")")}
		tr.Sp = Span{start, p.prevEnd()}
		return tr
	}
	return p.parseTypeRef()
}

// parseStringLit reads one string literal or several adjacent ones, which
// Kusto concatenates.
func (p *parser) parseStringLit() Expr {
	t := p.next()
	lit := &Literal{At: At{t.span()}, Kind: LitString, Type: types.String, Raw: t.Text}
	val := t.Val
	for p.tok().Kind == TokString {
		u := p.next()
		val += u.Val
		lit.Raw += " " + u.Text
		lit.Sp.End = u.End
	}
	lit.Value = val
	if t.Obfuscated {
		lit.Obfuscated = true
	}
	return lit
}
