package syntax

// PatternStmt declares a pattern, which maps string tuples to tabular
// expressions:
//
//	declare pattern Name [= (Arg: string, ...)[Path: string] { Rules }]
//
// A pattern without "=" is empty: it is declared but maps nothing.
type PatternStmt struct {
	At
	Name   *Ident
	Params []*Param // nil for an empty pattern
	Path   *Param   // the path parameter; may be nil
	Rules  []*PatternRule
}

// PatternRule maps argument values, and a path value when the pattern has
// a path, to a body: ("a", "b").["path"] = { expression }.
type PatternRule struct {
	At
	Args []Expr // string literals, one per parameter
	Path Expr   // a string literal; nil when the pattern has no path
	Body *Block
}

func (*PatternStmt) stmtNode() {}

// isPatternDecl reports whether the current tokens start declare pattern.
func (p *parser) isPatternDecl() bool {
	return p.isWord("declare") && p.peek(1).Kind == TokIdent && p.peek(1).Text == "pattern"
}

// parsePattern reads a declare pattern statement; the current token is
// declare.
func (p *parser) parsePattern() *PatternStmt {
	start := p.next().Pos
	p.next() // pattern
	st := &PatternStmt{Name: p.parseName("a pattern name")}
	if p.gotOp("=") {
		p.expectOp("(")
		st.Params = p.parseParams(")")
		p.expectOp(")")
		if p.gotOp("[") {
			if ps := p.parseParams("]"); len(ps) > 0 {
				st.Path = ps[0]
			}
			p.expectOp("]")
		}
		p.expectOp("{")
		for !p.isOp("}") && p.tok().Kind != TokEOF {
			if p.gotOp(";") {
				continue
			}
			before := p.i
			st.Rules = append(st.Rules, p.parsePatternRule(st.Path != nil))
			if !p.isOp(";") && !p.isOp("}") {
				p.expected(`";" or "}"`)
				p.skipTo(";", "}")
				if p.i == before {
					p.next()
				}
			}
		}
		p.expectOp("}")
	}
	st.Sp = Span{start, p.prevEnd()}
	return st
}

// parsePatternRule reads ("v1", ...)[.["path"]] = { body }.
func (p *parser) parsePatternRule(hasPath bool) *PatternRule {
	r := &PatternRule{}
	r.Sp.Start = p.tok().Pos
	p.expectOp("(")
	for !p.isOp(")") && p.tok().Kind != TokEOF {
		r.Args = append(r.Args, p.parsePatternValue())
		if !p.gotOp(",") {
			break
		}
	}
	p.expectOp(")")
	if hasPath || p.isOp(".") {
		p.expectOp(".")
		p.expectOp("[")
		r.Path = p.parsePatternValue()
		p.expectOp("]")
	}
	p.expectOp("=")
	r.Body = p.parseBlock()
	r.Sp.End = p.prevEnd()
	return r
}

// parsePatternValue reads the string literal of a pattern rule.
func (p *parser) parsePatternValue() Expr {
	if p.tok().Kind != TokString {
		p.expected("a string literal")
		return p.bad()
	}
	return p.parseStringLit()
}

// pattern prints a declare pattern statement.
func (pr *printer) pattern(st *PatternStmt) {
	pr.s("declare pattern ")
	pr.ident(st.Name)
	if st.Params == nil {
		return
	}
	pr.s(" = (")
	pr.params(st.Params)
	pr.s(")")
	if st.Path != nil {
		pr.s("[")
		pr.param(st.Path)
		pr.s("]")
	}
	pr.s(" {")
	pr.indent++
	for _, r := range st.Rules {
		pr.nl()
		pr.s("(")
		pr.exprs(r.Args)
		pr.s(")")
		if r.Path != nil {
			pr.s(".[")
			pr.expr(r.Path)
			pr.s("]")
		}
		pr.s(" = ")
		pr.block(r.Body)
		pr.s(";")
	}
	pr.indent--
	pr.nl()
	pr.s("}")
}
