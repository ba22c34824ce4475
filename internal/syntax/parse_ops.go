package syntax

import "strings"

// operatorNames lists every tabular operator the parser knows, by the name
// written after '|'.
var operatorNames = map[string]bool{
	"where": true, "filter": true, "extend": true, "project": true, "project-away": true,
	"project-keep": true, "project-rename": true, "project-reorder": true, "summarize": true,
	"sort": true, "order": true, "top": true, "take": true, "limit": true, "count": true,
	"distinct": true, "join": true, "lookup": true, "union": true, "mv-expand": true,
	"mvexpand": true, "print": true, "range": true, "datatable": true, "as": true,
	"consume": true, "evaluate": true, "facet": true, "find": true, "fork": true,
	"getschema": true, "invoke": true, "make-series": true, "mv-apply": true, "parse": true,
	"parse-kv": true, "parse-where": true, "partition": true, "reduce": true, "render": true,
	"sample": true, "sample-distinct": true, "scan": true, "search": true, "serialize": true,
	"top-hitters": true, "top-nested": true, "externaldata": true, "external_data": true,
	"project-smart": true, "mvapply": true, "project-by-names": true, "make-graph": true,
	"graph-match": true, "graph-shortest-paths": true, "graph-to-table": true,
	"graph-mark-components": true,
}

// rawOperators are recognised operators whose syntax is kept as raw text.
var rawOperators = map[string]bool{
	"graph-merge": true, "macro-expand": true, "assert-schema": true, "execute-and-cache": true,
}

// operatorStart reports the operator name at the current token and how
// many tokens it spans.
func (p *parser) operatorStart() (string, int) {
	word, n := p.dashedWord()
	for n > 1 && !operatorNames[word] && !rawOperators[word] {
		// Try a shorter dashed prefix: "project-away" in "project-away-x" is not valid,
		// but a dash after an operator name is subtraction in a later expression.
		i := strings.LastIndexByte(word, '-')
		word, n = word[:i], n-2
	}
	if operatorNames[word] || rawOperators[word] {
		return word, n
	}
	return "", 0
}

// parseOperator reads one tabular operator. It reports an error and
// returns nil for an unknown one.
func (p *parser) parseOperator() Operator {
	start := p.tok().Pos
	name, n := p.operatorStart()
	if n == 0 {
		p.expected("a tabular operator")
		return nil
	}
	p.i += n
	defer p.leave()
	if !p.enter() {
		return nil
	}
	op := p.parseOperatorBody(name, start)
	if op == nil {
		return nil
	}
	setSpan(op, Span{start, p.prevEnd()})
	return op
}

func setSpan(op Operator, sp Span) {
	type spanner interface{ setSpan(Span) }
	if s, ok := op.(spanner); ok {
		s.setSpan(sp)
	}
}

func (a *At) setSpan(sp Span) { a.Sp = sp }

func (p *parser) parseOperatorBody(name string, start Pos) Operator {
	switch name {
	case "where", "filter":
		return &WhereOp{Pred: p.parseOr()}
	case "extend":
		return &ExtendOp{Items: p.parseAssigns()}
	case "project":
		return &ProjectOp{Items: p.parseAssigns()}
	case "project-away":
		return &ProjectAwayOp{Cols: p.parseColPatterns()}
	case "project-keep":
		return &ProjectKeepOp{Cols: p.parseColPatterns()}
	case "project-rename":
		return &ProjectRenameOp{Items: p.parseAssigns()}
	case "project-reorder":
		return p.parseProjectReorder()
	case "summarize":
		return p.parseSummarize()
	case "sort", "order":
		op := &SortOp{Params: p.parseOpParams()}
		p.expectWord("by")
		op.Keys = p.parseSortKeys()
		return op
	case "top":
		op := &TopOp{N: p.parseAdditive()}
		p.expectWord("by")
		op.Key = p.parseSortKey()
		return op
	case "take", "limit":
		return &TakeOp{N: p.parseOr()}
	case "count":
		return &CountOp{}
	case "distinct":
		op := &DistinctOp{Params: p.parseOpParams()}
		if p.isOp("*") {
			p.next()
			op.Star = true
		} else {
			for _, a := range p.parseAssigns() {
				op.Cols = append(op.Cols, assignExpr(a))
			}
		}
		return op
	case "join":
		op := &JoinOp{Params: p.parseOpParams()}
		op.Right, op.On = p.parseJoinBody()
		return op
	case "lookup":
		op := &LookupOp{Params: p.parseOpParams()}
		op.Right, op.On = p.parseJoinBody()
		return op
	case "union":
		op := &UnionOp{Params: p.parseOpParams()}
		if p.atPipeEnd() {
			p.expected("a table to union")
			return op
		}
		op.Tables = p.parseTableRefs()
		return op
	case "mv-expand", "mvexpand":
		op := &MvExpandOp{Legacy: name == "mvexpand", Params: p.parseOpParams()}
		op.Items = p.parseMvItems()
		if p.gotWord("limit") {
			op.Limit = p.parseAdditive()
		}
		return op
	case "mv-apply", "mvapply":
		return p.parseMvApply()
	case "print":
		return &PrintOp{Items: p.parseAssigns()}
	case "range":
		op := &RangeOp{Name: p.parseName("a column name")}
		p.expectWord("from")
		op.From = p.parseAdditive()
		p.expectWord("to")
		op.To = p.parseAdditive()
		p.expectWord("step")
		op.Step = p.parseAdditive()
		return op
	case "datatable":
		return p.parseDatatable()
	case "externaldata", "external_data":
		return p.parseExternalData()
	case "as":
		op := &AsOp{Params: p.parseOpParams()}
		op.Name = p.parseName("a name after as")
		return op
	case "consume":
		return &ConsumeOp{Params: p.parseOpParams()}
	case "getschema":
		return &GetSchemaOp{}
	case "evaluate":
		op := &EvaluateOp{Params: p.parseOpParams()}
		if p.tok().Kind != TokIdent {
			p.expected("a plugin call")
			return op
		}
		op.Call = p.parseCall()
		if p.gotOp(":") {
			op.Schema = p.parseTypeRef()
		}
		return op
	case "invoke":
		if p.tok().Kind != TokIdent {
			p.expected("a function call")
			return &InvokeOp{}
		}
		return &InvokeOp{Call: p.parseCall()}
	case "sample":
		return &SampleOp{N: p.parseAdditive()}
	case "project-by-names":
		op := &ProjectByNamesOp{}
		for {
			op.Specs = append(op.Specs, p.parseOr())
			if !p.gotOp(",") {
				return op
			}
		}
	case "sample-distinct":
		op := &SampleDistinctOp{N: p.parseAdditive()}
		p.expectWord("of")
		op.Col = p.parseOr()
		return op
	case "top-hitters":
		op := &TopHittersOp{N: p.parseAdditive()}
		p.expectWord("of")
		op.Of = p.parseOr()
		if p.gotWord("by") {
			op.Sum = p.parseOr()
		}
		return op
	case "top-nested":
		return p.parseTopNested()
	case "serialize":
		return &SerializeOp{Items: p.parseAssigns()}
	case "render":
		return p.parseRender()
	case "reduce":
		op := &ReduceOp{Params: p.parseOpParams()}
		p.expectWord("by")
		op.By = p.parseOr()
		if p.gotWord("with") {
			op.Props = p.parseProps(false)
		}
		return op
	case "make-series":
		return p.parseMakeSeries()
	case "parse", "parse-where":
		return p.parseParse(name == "parse-where")
	case "parse-kv":
		return p.parseParseKv()
	case "partition":
		return p.parsePartition()
	case "fork":
		return p.parseFork()
	case "facet":
		op := &FacetOp{}
		p.expectWord("by")
		op.Cols = p.parseExprs()
		if p.gotWord("with") {
			p.expectOp("(")
			op.With = p.parseSubquery()
			p.expectOp(")")
		}
		return op
	case "find":
		return p.parseFind()
	case "search":
		op := &SearchOp{Params: p.parseOpParams()}
		if p.isWord("in") && p.peek(1).Kind == TokOp && p.peek(1).Text == "(" {
			op.Tables = p.parseInTables()
		}
		if p.atPipeEnd() {
			p.expected(`a search predicate, as in search "text" or search Col == 1`)
			return op
		}
		op.Pred = p.parseSearchPred()
		return op
	case "scan":
		return p.parseScan()
	case "project-smart":
		return &RawOp{Name: name}
	case "make-graph", "graph-match", "graph-shortest-paths", "graph-to-table",
		"graph-mark-components":
		return p.parseGraphOp(name)
	}
	if rawOperators[name] {
		return p.parseRaw(name)
	}
	p.errorAt(Span{start, p.prevEnd()}, "expected a tabular operator, found %q", name)
	return nil
}

// parseRaw keeps the text of an unmodelled operator up to the next '|' or
// ';' at depth zero.
func (p *parser) parseRaw(name string) Operator {
	from := p.tok().Pos
	first := p.i
	p.skipTo("|", ";")
	op := &RawOp{Name: name}
	if p.i > first {
		op.Text = p.src.Text[from:p.prevEnd()]
	}
	return op
}

// isParamName reports whether name may be an operator parameter.
func isParamName(name string) bool {
	switch name {
	case "kind", "withsource", "isfuzzy", "bagexpansion", "with_itemindex", "flags",
		"with_match_id", "decodeblocks", "hint":
		return true
	}
	return strings.HasPrefix(name, "hint.")
}

// parseOpParams reads Name=Value parameters such as kind=inner or
// hint.strategy=shuffle, stopping at the first token that is not one.
func (p *parser) parseOpParams() []*OpParam {
	var params []*OpParam
	for p.tok().Kind == TokIdent {
		name, n := p.tok().Text, 1
		for p.peek(n).Kind == TokOp && p.peek(n).Text == "." && p.peek(n+1).Kind == TokIdent {
			name += "." + p.peek(n+1).Text
			n += 2
		}
		eq := p.peek(n)
		// Parameter names are lower-case keywords: summarize Flags = ... names a column.
		if !isParamName(name) || eq.Kind != TokOp || eq.Text != "=" {
			break
		}
		start := p.tok().Pos
		p.i += n + 1
		v := p.parseParamValue()
		params = append(params, &OpParam{At: At{Span{start, p.prevEnd()}},
			Name: strings.ToLower(name), Value: v})
	}
	return params
}

// parseParamValue reads the value of a parameter: a bare word, which
// becomes an Ident, or a literal.
func (p *parser) parseParamValue() Expr {
	t := p.tok()
	if t.Kind != TokIdent {
		return p.parseUnary()
	}
	switch t.Text {
	case "true", "false", "True", "False", "TRUE", "FALSE":
		return p.parsePrimary()
	}
	p.next()
	return &Ident{At: At{t.span()}, Name: t.Text}
}

// parseProps reads Name = Value, ... properties; parenthesized when the
// current token is '(' . With lists set, a bare value after a comma joins
// the previous property's value list (render with (ycolumns=A, B)).
func (p *parser) parseProps(lists bool) []*OpParam {
	paren := p.gotOp("(")
	var props []*OpParam
	for p.tok().Kind == TokIdent {
		t := p.tok()
		if nx := p.peek(1); nx.Kind != TokOp || nx.Text != "=" {
			if !lists || len(props) == 0 {
				break
			}
			last := props[len(props)-1]
			list, ok := last.Value.(*ListExpr)
			if !ok {
				list = &ListExpr{At: At{last.Value.Span()}, Items: []Expr{last.Value}}
				last.Value = list
			}
			v := p.parseParamValue()
			list.Items = append(list.Items, v)
			list.Sp.End = p.prevEnd()
			last.Sp.End = p.prevEnd()
		} else {
			p.i += 2
			v := p.parseParamValue()
			props = append(props, &OpParam{At: At{Span{t.Pos, p.prevEnd()}}, Name: t.Text, Value: v})
		}
		if !p.gotOp(",") {
			break
		}
	}
	if paren {
		p.expectOp(")")
	}
	return props
}

// parseAssigns reads a comma-separated list of [Name =] Value or
// (N1, N2) = Value items.
func (p *parser) parseAssigns() []*Assign {
	var items []*Assign
	for p.startsExpr() {
		items = append(items, p.parseAssign())
		if !p.gotOp(",") {
			break
		}
	}
	return items
}

// startsExpr reports whether the current token can begin an expression.
func (p *parser) startsExpr() bool {
	t := p.tok()
	switch t.Kind {
	case TokEOF:
		return false
	case TokOp:
		switch t.Text {
		case "(", "[", "-", "+", "*":
			return true
		}
		return false
	case TokIdent:
		return t.Text != "by"
	}
	return true
}

func (p *parser) parseAssign() *Assign {
	a := &Assign{}
	a.Sp.Start = p.tok().Pos
	switch {
	case p.isName() && p.nameThenAssign():
		a.Names = []*Ident{p.parseName("a name")}
		p.next()
	case p.isOp("(") && p.tupleThenAssign():
		p.next()
		for {
			a.Names = append(a.Names, p.parseName("a name"))
			if !p.gotOp(",") {
				break
			}
		}
		p.expectOp(")")
		p.expectOp("=")
	}
	a.Value = p.parseOr()
	a.Sp.End = p.prevEnd()
	return a
}

// nameThenAssign reports whether a name at the current token is followed by '='.
func (p *parser) nameThenAssign() bool {
	n := 1
	if p.tok().Kind == TokOp {
		n = 3
	}
	t := p.peek(n)
	return t.Kind == TokOp && t.Text == "="
}

// tupleThenAssign reports whether '(' starts (N1, N2, ...) = .
func (p *parser) tupleThenAssign() bool {
	for n := 1; ; n += 2 {
		if p.peek(n).Kind != TokIdent {
			return false
		}
		t := p.peek(n + 1)
		if t.Kind != TokOp {
			return false
		}
		if t.Text == ")" {
			eq := p.peek(n + 2)
			return eq.Kind == TokOp && eq.Text == "="
		}
		if t.Text != "," {
			return false
		}
	}
}

// parseExprs reads comma-separated expressions.
func (p *parser) parseExprs() []Expr {
	var list []Expr
	for p.startsExpr() {
		list = append(list, p.parseOr())
		if !p.gotOp(",") {
			break
		}
	}
	return list
}

// parseColPattern reads a column name or a wildcard pattern such as Col*.
func (p *parser) parseColPattern() Expr {
	t := p.tok()
	if t.Kind == TokOp && t.Text == "[" {
		return p.parseName("a column name")
	}
	start, n := p.i, 0
	for {
		c := p.peek(n)
		ok := c.Kind == TokIdent || c.Kind == TokLong || c.Kind == TokOp && c.Text == "*"
		if !ok || n > 0 && !p.adjacent(n) {
			break
		}
		n++
	}
	if n == 0 {
		p.expected("a column name or pattern")
		return p.bad()
	}
	p.i += n
	text := p.src.Text[t.Pos:p.prevEnd()]
	sp := Span{t.Pos, p.prevEnd()}
	if strings.Contains(text, "*") {
		return &Pattern{At: At{sp}, Text: text}
	}
	if n > 1 || p.toks[start].Kind != TokIdent {
		p.errorAt(sp, "expected a column name or pattern, found %q", text)
	}
	return &Ident{At: At{sp}, Name: text}
}

func (p *parser) parseColPatterns() []Expr {
	var cols []Expr
	for {
		cols = append(cols, p.parseColPattern())
		if !p.gotOp(",") {
			return cols
		}
	}
}

func (p *parser) parseProjectReorder() Operator {
	op := &ProjectReorderOp{}
	for {
		k := &SortKey{}
		k.Sp.Start = p.tok().Pos
		k.X = p.parseColPattern()
		if w, n := p.dashedWord(); w == "asc" || w == "desc" || w == "granny-asc" ||
			w == "granny-desc" {
			k.Order = w
			p.i += n
		}
		k.Sp.End = p.prevEnd()
		op.Cols = append(op.Cols, k)
		if !p.gotOp(",") {
			return op
		}
	}
}

func (p *parser) parseSummarize() Operator {
	op := &SummarizeOp{Params: p.parseOpParams()}
	op.Aggs = p.parseAssigns()
	if p.gotWord("by") {
		op.By = p.parseAssigns()
		if len(op.By) == 0 {
			p.expected("a group-by expression")
		}
	}
	return op
}

func (p *parser) parseSortKeys() []*SortKey {
	var keys []*SortKey
	for {
		keys = append(keys, p.parseSortKey())
		if !p.gotOp(",") {
			return keys
		}
	}
}

func (p *parser) parseSortKey() *SortKey {
	k := &SortKey{}
	k.Sp.Start = p.tok().Pos
	k.X = p.parseOr()
	if p.isWord("asc") || p.isWord("desc") {
		k.Order = p.next().Text
	}
	if p.gotWord("nulls") {
		if p.isWord("first") || p.isWord("last") {
			k.Nulls = p.next().Text
		} else {
			p.expected(`"first" or "last"`)
		}
	}
	k.Sp.End = p.prevEnd()
	return k
}

// parseJoinBody reads the right side and the on clause of join and lookup.
func (p *parser) parseJoinBody() (Expr, []Expr) {
	right := p.parseUnary()
	var on []Expr
	if p.gotWord("on") {
		on = p.parseExprs()
		if len(on) == 0 {
			p.expected("a join condition")
		}
	} else if p.tok().Kind != TokEOF && !p.isOp("|") && !p.isOp(";") && !p.isOp(")") {
		p.expected(`"on"`)
	}
	return right, on
}

// parseTableRefs reads the tables of union: names, wildcard patterns,
// function calls or parenthesized queries.
func (p *parser) parseTableRefs() []Expr {
	var list []Expr
	for {
		t := p.tok()
		switch {
		case t.Kind == TokOp && t.Text == "*", t.Kind == TokIdent && p.peek(1).Kind == TokOp &&
			p.peek(1).Text == "*" && p.adjacent(1):
			list = append(list, p.parseColPattern())
		default:
			list = append(list, p.parseUnary())
		}
		if !p.gotOp(",") {
			return list
		}
	}
}

// parseInTables reads in (T1, T2, ...) of find and search.
func (p *parser) parseInTables() []Expr {
	p.next()
	p.expectOp("(")
	tables := p.parseTableRefs()
	p.expectOp(")")
	return tables
}

// assignExpr turns an Assign into an expression: its Value when unnamed,
// else a NamedArg Name = Value (distinct Name = Expr).
func assignExpr(a *Assign) Expr {
	if len(a.Names) != 1 {
		return a.Value
	}
	return &NamedArg{At: a.At, Name: a.Names[0], Value: a.Value}
}
