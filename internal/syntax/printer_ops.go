package syntax

import "fmt"

func (pr *printer) assign(a *Assign) {
	switch len(a.Names) {
	case 0:
	case 1:
		pr.ident(a.Names[0])
		pr.s(" = ")
	default:
		pr.s("(")
		for i, n := range a.Names {
			if i > 0 {
				pr.s(", ")
			}
			pr.ident(n)
		}
		pr.s(") = ")
	}
	pr.expr(a.Value)
}

func (pr *printer) assigns(items []*Assign) {
	for i, a := range items {
		if i > 0 {
			pr.s(", ")
		}
		pr.assign(a)
	}
}

func (pr *printer) sortKey(k *SortKey) {
	pr.expr(k.X)
	if k.Order != "" {
		pr.s(" ", k.Order)
	}
	if k.Nulls != "" {
		pr.s(" nulls ", k.Nulls)
	}
}

// opParams prints parameters, each followed by a space.
func (pr *printer) opParams(ps []*OpParam) {
	for _, p := range ps {
		pr.s(p.Name, "=")
		pr.expr(p.Value)
		pr.s(" ")
	}
}

// props prints (Name=Value, ...).
func (pr *printer) props(ps []*OpParam) {
	pr.s("(")
	for i, p := range ps {
		if i > 0 {
			pr.s(", ")
		}
		pr.s(p.Name, "=")
		pr.expr(p.Value)
	}
	pr.s(")")
}

func (pr *printer) subquery(pl *Pipeline) {
	pr.s("(")
	pr.indent++
	if pl != nil {
		pr.expr(pl)
	}
	pr.indent--
	pr.s(")")
}

func (pr *printer) mvItems(items []*MvExpandItem) {
	for i, it := range items {
		if i > 0 {
			pr.s(", ")
		}
		if it.Name != nil {
			pr.ident(it.Name)
			pr.s(" = ")
		}
		pr.expr(it.X)
		if it.To != nil {
			pr.s(" to typeof(")
			pr.typeRef(it.To)
			pr.s(")")
		}
	}
}

func (pr *printer) op(op Operator) {
	switch op := op.(type) {
	case *WhereOp:
		pr.s("where ")
		pr.expr(op.Pred)
	case *ExtendOp:
		pr.s("extend ")
		pr.assigns(op.Items)
	case *ProjectOp:
		pr.s("project ")
		pr.assigns(op.Items)
	case *ProjectAwayOp:
		pr.s("project-away ")
		pr.exprs(op.Cols)
	case *ProjectKeepOp:
		pr.s("project-keep ")
		pr.exprs(op.Cols)
	case *ProjectRenameOp:
		pr.s("project-rename ")
		pr.assigns(op.Items)
	case *ProjectReorderOp:
		pr.s("project-reorder ")
		for i, k := range op.Cols {
			if i > 0 {
				pr.s(", ")
			}
			pr.sortKey(k)
		}
	case *SummarizeOp:
		pr.s("summarize ")
		pr.opParams(op.Params)
		pr.assigns(op.Aggs)
		if len(op.By) > 0 {
			if len(op.Aggs) > 0 {
				pr.s(" ")
			}
			pr.s("by ")
			pr.assigns(op.By)
		}
	case *SortOp:
		pr.s("sort ")
		pr.opParams(op.Params)
		pr.s("by ")
		for i, k := range op.Keys {
			if i > 0 {
				pr.s(", ")
			}
			pr.sortKey(k)
		}
	case *TopOp:
		pr.s("top ")
		pr.expr(op.N)
		pr.s(" by ")
		if op.Key != nil {
			pr.sortKey(op.Key)
		}
	case *TakeOp:
		pr.s("take ")
		pr.expr(op.N)
	case *CountOp:
		pr.s("count")
	case *DistinctOp:
		pr.s("distinct ")
		pr.opParams(op.Params)
		if op.Star {
			pr.s("*")
		}
		pr.exprs(op.Cols)
	case *JoinOp:
		pr.s("join ")
		pr.joinBody(op.Params, op.Right, op.On)
	case *LookupOp:
		pr.s("lookup ")
		pr.joinBody(op.Params, op.Right, op.On)
	case *UnionOp:
		pr.s("union ")
		pr.opParams(op.Params)
		pr.exprs(op.Tables)
	case *MvExpandOp:
		if op.Legacy {
			pr.s("mvexpand ")
		} else {
			pr.s("mv-expand ")
		}
		pr.opParams(op.Params)
		pr.mvItems(op.Items)
		if op.Limit != nil {
			pr.s(" limit ")
			pr.expr(op.Limit)
		}
	case *PrintOp:
		pr.s("print ")
		pr.assigns(op.Items)
	case *RangeOp:
		pr.s("range ")
		pr.ident(op.Name)
		pr.s(" from ")
		pr.expr(op.From)
		pr.s(" to ")
		pr.expr(op.To)
		pr.s(" step ")
		pr.expr(op.Step)
	case *DatatableOp:
		pr.s("datatable ")
		pr.opParams(op.Params)
		pr.s("(")
		pr.columns(op.Columns)
		pr.s(") [")
		pr.exprs(op.Values)
		pr.s("]")
	default:
		pr.op2(op)
	}
}

func (pr *printer) joinBody(params []*OpParam, right Expr, on []Expr) {
	pr.opParams(params)
	pr.expr(right)
	if len(on) > 0 {
		pr.s(" on ")
		pr.exprs(on)
	}
}

func (pr *printer) op2(op Operator) {
	switch op := op.(type) {
	case *AsOp:
		pr.s("as ")
		pr.opParams(op.Params)
		pr.ident(op.Name)
	case *ConsumeOp:
		pr.s("consume")
		for _, p := range op.Params {
			pr.s(" ", p.Name, "=")
			pr.expr(p.Value)
		}
	case *EvaluateOp:
		pr.s("evaluate ")
		pr.opParams(op.Params)
		if op.Call != nil {
			pr.expr(op.Call)
		}
		if op.Schema != nil {
			pr.s(" : ")
			pr.typeRef(op.Schema)
		}
	case *FacetOp:
		pr.s("facet by ")
		pr.exprs(op.Cols)
		if op.With != nil {
			pr.s(" with ")
			pr.subquery(op.With)
		}
	case *FindOp:
		pr.s("find ")
		pr.opParams(op.Params)
		if op.Tables != nil {
			pr.s("in (")
			pr.exprs(op.Tables)
			pr.s(") ")
		}
		pr.s("where ")
		pr.expr(op.Pred)
		if op.ProjectSmart {
			pr.s(" project-smart")
		}
		if len(op.Project) > 0 {
			pr.s(" project ")
			for i, c := range op.Project {
				if i > 0 {
					pr.s(", ")
				}
				pr.expr(c.X)
				if c.Type != nil {
					pr.s(": ")
					pr.typeRef(c.Type)
				}
			}
		}
	case *ForkOp:
		pr.s("fork")
		for _, br := range op.Branches {
			pr.s(" ")
			if br.Name != nil {
				pr.ident(br.Name)
				pr.s(" = ")
			}
			pr.subquery(br.Query)
		}
	case *GetSchemaOp:
		pr.s("getschema")
	case *InvokeOp:
		pr.s("invoke ")
		if op.Call != nil {
			pr.expr(op.Call)
		}
	case *MakeSeriesOp:
		pr.makeSeries(op)
	case *MvApplyOp:
		pr.s("mv-apply ")
		pr.opParams(op.Params)
		pr.mvItems(op.Items)
		if op.Limit != nil {
			pr.s(" limit ")
			pr.expr(op.Limit)
		}
		pr.s(" on ")
		pr.subquery(op.Body)
	case *ParseOp:
		pr.parseOp(op)
	case *ParseKvOp:
		pr.s("parse-kv ")
		pr.expr(op.X)
		pr.s(" as (")
		pr.columns(op.Columns)
		pr.s(")")
		if op.Props != nil {
			pr.s(" with ")
			pr.props(op.Props)
		}
	case *PartitionOp:
		pr.s("partition ")
		pr.opParams(op.Params)
		pr.s("by ")
		pr.expr(op.By)
		if op.Braced {
			pr.s(" {")
			pr.indent++
			pr.nl()
			pr.expr(op.Body)
			pr.indent--
			pr.nl()
			pr.s("}")
		} else {
			pr.s(" (")
			pr.indent++
			pr.expr(op.Body)
			pr.indent--
			pr.s(")")
		}
	case *ReduceOp:
		pr.s("reduce ")
		pr.opParams(op.Params)
		pr.s("by ")
		pr.expr(op.By)
		if op.Props != nil {
			pr.s(" with ")
			pr.props(op.Props)
		}
	case *RenderOp:
		pr.s("render ")
		pr.ident(op.Chart)
		if op.Props != nil {
			pr.s(" with ")
			pr.props(op.Props)
		}
	case *SampleOp:
		pr.s("sample ")
		pr.expr(op.N)
	case *ProjectByNamesOp:
		pr.s("project-by-names ")
		for i, x := range op.Specs {
			if i > 0 {
				pr.s(", ")
			}
			pr.expr(x)
		}
	case *SampleDistinctOp:
		pr.s("sample-distinct ")
		pr.expr(op.N)
		pr.s(" of ")
		pr.expr(op.Col)
	case *ScanOp:
		pr.scan(op)
	case *SearchOp:
		pr.s("search ")
		pr.opParams(op.Params)
		if op.Tables != nil {
			pr.s("in (")
			pr.exprs(op.Tables)
			pr.s(") ")
		}
		pr.expr(op.Pred)
	case *SerializeOp:
		pr.s("serialize")
		if len(op.Items) > 0 {
			pr.s(" ")
			pr.assigns(op.Items)
		}
	case *TopHittersOp:
		pr.s("top-hitters ")
		pr.expr(op.N)
		pr.s(" of ")
		pr.expr(op.Of)
		if op.Sum != nil {
			pr.s(" by ")
			pr.expr(op.Sum)
		}
	case *TopNestedOp:
		pr.topNested(op)
	case *ExternalDataOp:
		pr.s("externaldata (")
		pr.columns(op.Columns)
		pr.s(") [")
		pr.exprs(op.URIs)
		pr.s("]")
		if op.Props != nil {
			pr.s(" with ")
			pr.props(op.Props)
		}
	case *RawOp:
		pr.s(op.Name)
		if op.Text != "" {
			pr.s(" ", op.Text)
		}
	default:
		if !pr.graphOp(op) {
			pr.s(fmt.Sprintf("<%T>", op))
		}
	}
}

func (pr *printer) makeSeries(op *MakeSeriesOp) {
	pr.s("make-series ")
	pr.opParams(op.Params)
	for i, it := range op.Items {
		if i > 0 {
			pr.s(", ")
		}
		pr.assign(it.Agg)
		if it.Default != nil {
			pr.s(" default = ")
			pr.expr(it.Default)
		}
	}
	pr.s(" on ")
	pr.expr(op.Axis)
	if op.InRange {
		pr.s(" in range(")
		pr.exprs([]Expr{op.From, op.To, op.Step})
		pr.s(")")
	} else {
		if op.From != nil {
			pr.s(" from ")
			pr.expr(op.From)
		}
		if op.To != nil {
			pr.s(" to ")
			pr.expr(op.To)
		}
		pr.s(" step ")
		pr.expr(op.Step)
	}
	if len(op.By) > 0 {
		pr.s(" by ")
		pr.assigns(op.By)
	}
}

func (pr *printer) parseOp(op *ParseOp) {
	if op.Where {
		pr.s("parse-where ")
	} else {
		pr.s("parse ")
	}
	pr.opParams(op.Params)
	pr.expr(op.X)
	pr.s(" with")
	for _, it := range op.Pattern {
		pr.s(" ")
		switch {
		case it.Lit != nil:
			pr.literal(it.Lit)
		case it.Star:
			pr.s("*")
		default:
			pr.ident(it.Name)
			if it.Type != nil {
				pr.s(": ")
				pr.typeRef(it.Type)
			}
		}
	}
}

func (pr *printer) scan(op *ScanOp) {
	pr.s("scan ")
	pr.opParams(op.Params)
	if op.Declare != nil {
		pr.s("declare (")
		pr.params(op.Declare)
		pr.s(") ")
	}
	pr.s("with (")
	pr.indent++
	for _, st := range op.Steps {
		pr.nl()
		pr.s("step ")
		pr.ident(st.Name)
		for _, p := range st.Params {
			pr.s(" ", p.Name, "=")
			pr.expr(p.Value)
		}
		pr.s(": ")
		pr.expr(st.Pred)
		if st.Assigns != nil {
			pr.s(" => ")
			pr.assigns(st.Assigns)
		}
		pr.s(";")
	}
	pr.indent--
	pr.nl()
	pr.s(")")
}

func (pr *printer) topNested(op *TopNestedOp) {
	for i, lv := range op.Levels {
		if i > 0 {
			pr.s(",\n  ")
		}
		pr.s("top-nested ")
		if lv.N != nil {
			pr.expr(lv.N)
			pr.s(" ")
		}
		pr.s("of ")
		pr.assign(lv.Of)
		if lv.Others != nil {
			pr.s(" with others = ")
			pr.expr(lv.Others)
		}
		pr.s(" by ")
		pr.assign(lv.By)
		if lv.Order != "" {
			pr.s(" ", lv.Order)
		}
	}
}
