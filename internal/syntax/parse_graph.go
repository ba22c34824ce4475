package syntax

import (
	"strconv"
	"strings"
)

// parseGraphOp reads the graph operators after their name.
func (p *parser) parseGraphOp(name string) Operator {
	switch name {
	case "make-graph":
		return p.parseMakeGraph()
	case "graph-match", "graph-shortest-paths":
		return p.parseGraphMatch(name == "graph-shortest-paths")
	case "graph-to-table":
		return p.parseGraphToTable()
	case "graph-mark-components":
		return &GraphMarkComponentsOp{Params: p.parseGraphParams()}
	}
	return nil
}

// parseGraphParams reads Name=Value parameters whose names are words
// (cycles=none, with_node_id=Id, kind=weak).
func (p *parser) parseGraphParams() []*OpParam {
	var params []*OpParam
	for p.tok().Kind == TokIdent && p.peek(1).Kind == TokOp && p.peek(1).Text == "=" {
		start := p.tok().Pos
		name := strings.ToLower(p.next().Text)
		p.next()
		v := p.parseParamValue()
		params = append(params, &OpParam{At: At{Span{start, p.prevEnd()}}, Name: name, Value: v})
	}
	return params
}

func (p *parser) parseMakeGraph() Operator {
	op := &MakeGraphOp{Src: p.parseName("a source node id column")}
	switch {
	case p.gotGraphArrow("-", "-", ">"):
	case p.gotGraphArrow("-", "-"):
		op.Undirected = true
	default:
		p.expected(`"-->" or "--"`)
		return nil
	}
	op.Dst = p.parseName("a target node id column")
	for _, prm := range p.parseGraphParams() {
		id, ok := prm.Value.(*Ident)
		if prm.Name != "with_node_id" || !ok {
			p.errorAt(prm.Span(), "expected with_node_id=Name, found %s", prm.Name)
			return nil
		}
		op.NodeID = id
	}
	if p.gotWord("with") {
		for {
			start := p.tok().Pos
			n := &GraphNodes{Table: p.parseOr()}
			p.expectWord("on")
			n.Key = p.parseName("a node id column")
			n.Sp = Span{start, p.prevEnd()}
			op.Nodes = append(op.Nodes, n)
			if !p.gotOp(",") {
				break
			}
		}
	}
	if word, n := p.dashedWord(); word == "partitioned-by" {
		p.i += n
		op.PartitionBy = p.parseName("a partition column")
		p.expectOp("(")
		op.Sub = p.parseSubquery()
		p.expectOp(")")
	}
	return op
}

// gotGraphArrow consumes the operator tokens ops when they are written
// together, as in --> or <-.
func (p *parser) gotGraphArrow(ops ...string) bool {
	for k, op := range ops {
		t := p.peek(k)
		if t.Kind != TokOp || t.Text != op || k > 0 && !p.adjacent(k) {
			return false
		}
	}
	p.i += len(ops)
	return true
}

func (p *parser) parseGraphMatch(shortest bool) Operator {
	op := &GraphMatchOp{Shortest: shortest, Params: p.parseGraphParams()}
	for {
		path := p.parseGraphPath()
		if path == nil {
			return nil
		}
		op.Paths = append(op.Paths, path)
		if !p.gotOp(",") {
			break
		}
	}
	if p.gotWord("where") {
		op.Where = p.parseOr()
	}
	if p.gotWord("project") {
		op.Project = p.parseAssigns()
	}
	return op
}

// parseGraphPath reads (a)-[e]->(b)<--(c)....
func (p *parser) parseGraphPath() *GraphPath {
	path := &GraphPath{}
	path.Sp.Start = p.tok().Pos
	for {
		n := p.parseGraphNode()
		if n == nil {
			return nil
		}
		path.Nodes = append(path.Nodes, n)
		if !p.isOp("-") && !p.isOp("<") {
			break
		}
		e := p.parseGraphEdge()
		if e == nil {
			return nil
		}
		path.Edges = append(path.Edges, e)
	}
	path.Sp.End = p.prevEnd()
	return path
}

func (p *parser) parseGraphNode() *GraphNodeElem {
	start := p.tok().Pos
	if !p.gotOp("(") {
		p.expected(`a pattern node "(name)"`)
		return nil
	}
	n := &GraphNodeElem{}
	if !p.isOp(")") {
		n.Name = p.parseName("a node variable")
	}
	p.expectOp(")")
	n.Sp = Span{start, p.prevEnd()}
	return n
}

// parseGraphEdge reads -[e]->, <-[e]-, -[e]-, -->, <-- or --, with an
// optional *Min..Max inside the brackets.
func (p *parser) parseGraphEdge() *GraphEdgeElem {
	e := &GraphEdgeElem{Min: 1, Max: 1}
	e.Sp.Start = p.tok().Pos
	left := p.gotGraphArrow("<", "-")
	if !left && !p.gotOp("-") {
		p.expected("a pattern edge")
		return nil
	}
	if p.gotOp("[") {
		if p.isName() && !p.isOp("[") {
			e.Name = p.parseName("an edge variable")
		}
		if p.gotOp("*") {
			e.Variable = true
			if !p.parseEdgeRange(e) {
				return nil
			}
		}
		p.expectOp("]")
	}
	switch {
	case left:
		if !p.gotOp("-") {
			p.expected(`"-" closing the edge`)
			return nil
		}
		e.Dir = EdgeLeft
	case p.gotGraphArrow("-", ">"):
		e.Dir = EdgeRight
	case p.gotOp("-"):
		e.Dir = EdgeAny
	default:
		p.expected(`"->" or "-" closing the edge`)
		return nil
	}
	e.Sp.End = p.prevEnd()
	return e
}

// parseEdgeRange reads Min..Max after the * of a variable-length edge.
// The scanner may read "1..3" as one real or as 1 .. 3.
func (p *parser) parseEdgeRange(e *GraphEdgeElem) bool {
	start := p.tok().Pos
	var text strings.Builder
	for k := 0; ; k++ {
		t := p.tok()
		if t.Kind == TokOp && t.Text == "]" || t.Kind == TokEOF {
			break
		}
		if k > 0 && t.Pos != p.prevEnd() {
			break
		}
		text.WriteString(p.src.Text[t.Pos:t.End])
		p.next()
	}
	lo, hi, ok := strings.Cut(text.String(), "..")
	a, err1 := strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
	b, err2 := strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
	if !ok || err1 != nil || err2 != nil || a < 0 || b < a || b == 0 {
		p.errorAt(Span{start, p.prevEnd()},
			"expected a length range Min..Max after * in a variable-length edge, found %q",
			text.String())
		return false
	}
	e.Min, e.Max = a, b
	return true
}

func (p *parser) parseGraphToTable() Operator {
	op := &GraphToTableOp{}
	for {
		start := p.tok().Pos
		part := &GraphTablePart{}
		switch {
		case p.gotWord("nodes"):
		case p.gotWord("edges"):
			part.Edges = true
		default:
			p.expected(`"nodes" or "edges"`)
			return nil
		}
		if p.gotWord("as") {
			part.As = p.parseName("a table name")
		}
		part.Params = p.parseGraphParams()
		part.Sp = Span{start, p.prevEnd()}
		op.Parts = append(op.Parts, part)
		if !p.gotOp(",") {
			break
		}
	}
	return op
}
