package syntax

import "github.com/huntql/huntql/internal/types"

// parseMvItems reads the columns of mv-expand and mv-apply.
func (p *parser) parseMvItems() []*MvExpandItem {
	var items []*MvExpandItem
	for {
		it := &MvExpandItem{}
		it.Sp.Start = p.tok().Pos
		if p.isName() && p.nameThenAssign() {
			it.Name = p.parseName("a name")
			p.next()
		}
		it.X = p.parseOr()
		if p.gotWord("to") {
			p.expectWord("typeof")
			p.expectOp("(")
			it.To = p.parseTypeRef()
			p.expectOp(")")
		}
		it.Sp.End = p.prevEnd()
		items = append(items, it)
		if !p.gotOp(",") {
			return items
		}
	}
}

func (p *parser) parseMvApply() Operator {
	op := &MvApplyOp{Params: p.parseOpParams()}
	op.Items = p.parseMvItems()
	if p.gotWord("limit") {
		op.Limit = p.parseAdditive()
	}
	p.expectWord("on")
	p.expectOp("(")
	op.Body = p.parseSubquery()
	p.expectOp(")")
	return op
}

func (p *parser) parseDatatable() Operator {
	op := &DatatableOp{Params: p.parseOpParams()}
	p.expectOp("(")
	op.Columns = p.parseColumnDecls(")")
	p.expectOp(")")
	p.expectOp("[")
	for !p.isOp("]") && p.tok().Kind != TokEOF {
		op.Values = append(op.Values, p.parseOr())
		if !p.gotOp(",") {
			break
		}
	}
	p.expectOp("]")
	return op
}

func (p *parser) parseExternalData() Operator {
	op := &ExternalDataOp{}
	p.expectOp("(")
	op.Columns = p.parseColumnDecls(")")
	p.expectOp(")")
	p.expectOp("[")
	for !p.isOp("]") && p.tok().Kind != TokEOF {
		op.URIs = append(op.URIs, p.parseOr())
		if !p.gotOp(",") {
			break
		}
	}
	p.expectOp("]")
	if p.gotWord("with") {
		p.expectOp("(")
		p.i--
		op.Props = p.parseProps(false)
	}
	return op
}

func (p *parser) parseTopNested() Operator {
	op := &TopNestedOp{}
	for {
		lv := &TopNestedLevel{}
		lv.Sp.Start = p.toks[p.i-1].Pos
		if !p.isWord("of") {
			lv.N = p.parseAdditive()
		}
		p.expectWord("of")
		lv.Of = p.parseAssign()
		if p.isWord("with") && p.peek(1).Text == "others" {
			p.i += 2
			p.expectOp("=")
			lv.Others = p.parseOr()
		}
		p.expectWord("by")
		lv.By = p.parseAssign()
		if p.isWord("asc") || p.isWord("desc") {
			lv.Order = p.next().Text
		}
		lv.Sp.End = p.prevEnd()
		op.Levels = append(op.Levels, lv)
		if !p.isOp(",") {
			return op
		}
		p.next()
		if w, n := p.dashedWord(); w != "top-nested" {
			p.expected(`"top-nested"`)
			return op
		} else {
			p.i += n
		}
	}
}

func (p *parser) parseRender() Operator {
	op := &RenderOp{}
	op.Chart = p.parseName("a visualization kind")
	switch {
	case p.gotWord("with"):
		if !p.isOp("(") {
			p.expected(`"("`)
			return op
		}
		op.Props = p.parseProps(true)
	case p.tok().Kind == TokIdent:
		op.Props = p.parseProps(true)
	}
	return op
}

func (p *parser) parseMakeSeries() Operator {
	op := &MakeSeriesOp{Params: p.parseOpParams()}
	for {
		it := &MakeSeriesItem{}
		it.Sp.Start = p.tok().Pos
		it.Agg = p.parseAssign()
		if p.isWord("default") && p.peek(1).Text == "=" {
			p.i += 2
			it.Default = p.parseOr()
		}
		it.Sp.End = p.prevEnd()
		op.Items = append(op.Items, it)
		if !p.gotOp(",") {
			break
		}
	}
	p.expectWord("on")
	op.Axis = p.parseAdditive()
	if p.gotWord("in") {
		op.InRange = true
		p.expectWord("range")
		p.expectOp("(")
		op.From = p.parseOr()
		p.expectOp(",")
		op.To = p.parseOr()
		p.expectOp(",")
		op.Step = p.parseOr()
		p.expectOp(")")
	} else {
		if p.gotWord("from") {
			op.From = p.parseAdditive()
		}
		if p.gotWord("to") {
			op.To = p.parseAdditive()
		}
		p.expectWord("step")
		op.Step = p.parseAdditive()
	}
	if p.gotWord("by") {
		op.By = p.parseAssigns()
	}
	return op
}

func (p *parser) parseParse(where bool) Operator {
	op := &ParseOp{Where: where, Params: p.parseOpParams()}
	op.X = p.parseOr()
	p.expectWord("with")
	for {
		t := p.tok()
		it := &ParseItem{At: At{t.span()}}
		switch {
		case t.Kind == TokString:
			p.next()
			it.Lit = &Literal{At: At{t.span()}, Kind: LitString, Type: types.String,
				Value: t.Val, Raw: t.Text, Obfuscated: t.Obfuscated}
		case t.Kind == TokOp && t.Text == "*":
			p.next()
			it.Star = true
		case p.isName():
			it.Name = p.parseName("a column name")
			if p.gotOp(":") {
				it.Type = p.parseTypeRef()
			}
			it.Sp.End = p.prevEnd()
		default:
			if len(op.Pattern) == 0 {
				p.expected("a parse pattern")
			}
			return op
		}
		op.Pattern = append(op.Pattern, it)
	}
}

func (p *parser) parseParseKv() Operator {
	op := &ParseKvOp{X: p.parseOr()}
	p.expectWord("as")
	p.expectOp("(")
	op.Columns = p.parseColumnDecls(")")
	p.expectOp(")")
	if p.gotWord("with") {
		if !p.isOp("(") {
			p.expected(`"("`)
			return op
		}
		op.Props = p.parseProps(false)
	}
	return op
}

func (p *parser) parsePartition() Operator {
	op := &PartitionOp{Params: p.parseOpParams()}
	p.expectWord("by")
	op.By = p.parseName("a column name")
	switch {
	case p.isOp("{"):
		p.next()
		op.Braced = true
		op.Body = p.parsePipeExpr()
		p.expectOp("}")
	default:
		p.expectOp("(")
		op.Body = p.parseSubquery()
		p.expectOp(")")
	}
	return op
}

func (p *parser) parseFork() Operator {
	op := &ForkOp{}
	for {
		br := &ForkBranch{}
		br.Sp.Start = p.tok().Pos
		if p.isName() && p.nameThenAssign() {
			br.Name = p.parseName("a name")
			p.next()
		} else if !p.isOp("(") {
			break
		}
		p.expectOp("(")
		br.Query = p.parseSubquery()
		p.expectOp(")")
		br.Sp.End = p.prevEnd()
		op.Branches = append(op.Branches, br)
	}
	if len(op.Branches) == 0 {
		p.expected(`"(" to start a fork branch`)
	}
	return op
}

func (p *parser) parseFind() Operator {
	op := &FindOp{Params: p.parseOpParams()}
	if p.isWord("in") && p.peek(1).Kind == TokOp && p.peek(1).Text == "(" {
		op.Tables = p.parseInTables()
	}
	p.gotWord("where")
	if p.atPipeEnd() {
		p.expected(`a predicate, as in find "text" or find where Col == 1`)
		return op
	}
	op.Pred = p.parseOr()
	switch w, n := p.dashedWord(); w {
	case "project-smart":
		p.i += n
		op.ProjectSmart = true
	case "project":
		p.next()
		for {
			c := &FindColumn{}
			c.Sp.Start = p.tok().Pos
			c.X = p.parsePostfix(p.parsePrimary())
			if p.gotOp(":") {
				c.Type = p.parseTypeRef()
			}
			c.Sp.End = p.prevEnd()
			op.Project = append(op.Project, c)
			if !p.gotOp(",") {
				break
			}
		}
	}
	return op
}

// parseSearchPred reads the predicate of search, which may be a bare string.
// Within it, Col:"term" is a BinaryExpr with Op ":".
func (p *parser) parseSearchPred() Expr {
	p.inSearch = true
	defer func() { p.inSearch = false }()
	return p.parseOr()
}

func (p *parser) parseScan() Operator {
	op := &ScanOp{Params: p.parseOpParams()}
	if p.gotWord("declare") {
		p.expectOp("(")
		op.Declare = p.parseParams(")")
		p.expectOp(")")
	}
	p.expectWord("with")
	p.expectOp("(")
	for p.isWord("step") {
		st := &ScanStep{}
		st.Sp.Start = p.next().Pos
		st.Name = p.parseName("a step name")
		if p.tok().Kind == TokIdent {
			st.Params = p.parseProps(false)
		}
		p.expectOp(":")
		st.Pred = p.parseOr()
		if p.gotOp("=>") {
			st.Assigns = p.parseAssigns()
		}
		st.Sp.End = p.prevEnd()
		op.Steps = append(op.Steps, st)
		if !p.gotOp(";") {
			break
		}
	}
	if len(op.Steps) == 0 {
		p.expected(`"step"`)
	}
	p.expectOp(")")
	return op
}
