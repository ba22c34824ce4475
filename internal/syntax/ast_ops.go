package syntax

// This file adds the nodes the parser needs beyond ast.go: placeholders for
// unreadable input, a few expression forms, and every remaining tabular operator.

// AliasStmt is alias database Name = Value.
type AliasStmt struct {
	At
	Name  *Ident
	Value Expr
}

func (*AliasStmt) stmtNode() {}

// BadExpr stands where an expression could not be read; an error was reported.
type BadExpr struct {
	At
}

// MethodCallExpr is X.Fun(Args), as in cluster("c").database("db").
type MethodCallExpr struct {
	At
	X    Expr
	Call *CallExpr
}

// ListExpr is a comma-separated list of values of one operator property, as
// in render ... with (ycolumns=A, B).
type ListExpr struct {
	At
	Items []Expr
}

func (*BadExpr) exprNode()        {}
func (*MethodCallExpr) exprNode() {}
func (*ListExpr) exprNode()       {}

// AsOp is as [Params] Name: it names the pipeline's result so far.
type AsOp struct {
	At
	Params []*OpParam
	Name   *Ident
}

// ConsumeOp is consume [Params]: it reads the input and returns nothing.
type ConsumeOp struct {
	At
	Params []*OpParam
}

// EvaluateOp is evaluate [Params] Plugin(Args) [: Schema].
type EvaluateOp struct {
	At
	Params []*OpParam
	Call   *CallExpr
	Schema *TypeRef // may be nil
}

// FacetOp is facet by Cols [with (Body)]. Body's Source is nil: it applies
// to the input.
type FacetOp struct {
	At
	Cols []Expr
	With *Pipeline // may be nil
}

// FindOp is find [Params] [in (Tables)] where Pred [project Cols | project-smart].
type FindOp struct {
	At
	Params       []*OpParam
	Tables       []Expr // nil when there is no in clause
	Pred         Expr
	Project      []*FindColumn // nil when there is no project clause
	ProjectSmart bool
}

// FindColumn is one column of find ... project: X [: Type], X a name or pack_all().
type FindColumn struct {
	At
	X    Expr
	Type *TypeRef // may be nil
}

// ForkBranch is one [Name =] (Query) of fork. Query's Source is nil.
type ForkBranch struct {
	At
	Name  *Ident // may be nil
	Query *Pipeline
}

// ForkOp is fork (Query) [Name = (Query)] ....
type ForkOp struct {
	At
	Branches []*ForkBranch
}

// GetSchemaOp is getschema.
type GetSchemaOp struct {
	At
}

// InvokeOp is invoke Func(Args): it calls a tabular function with the input as first argument.
type InvokeOp struct {
	At
	Call *CallExpr
}

// MakeSeriesItem is one aggregate of make-series: [Name =] Agg [default = Default].
type MakeSeriesItem struct {
	At
	Agg     *Assign
	Default Expr // may be nil
}

// MakeSeriesOp is make-series [Params] Items on Axis (from From to To step
// Step | in range(From, To, Step)) [by By]. InRange tells which form.
type MakeSeriesOp struct {
	At
	Params         []*OpParam
	Items          []*MakeSeriesItem
	Axis           Expr
	From, To, Step Expr // From and To may be nil
	InRange        bool
	By             []*Assign
}

// MvApplyOp is mv-apply [Params] Items [limit N] on (Body). Body's Source is
// nil: it applies to the sub-table of each row.
type MvApplyOp struct {
	At
	Params []*OpParam
	Items  []*MvExpandItem
	Limit  Expr // may be nil
	Body   *Pipeline
}

// ParseItem is one element of a parse pattern: a string constant, a *, or
// a column Name [: Type].
type ParseItem struct {
	At
	Lit  *Literal // a string constant; nil otherwise
	Star bool
	Name *Ident   // the column; nil for constants and *
	Type *TypeRef // may be nil
}

// ParseOp is parse [Params] X with Pattern, or parse-where when Where is set.
type ParseOp struct {
	At
	Where   bool
	Params  []*OpParam
	X       Expr
	Pattern []*ParseItem
}

// ParseKvOp is parse-kv X as (Columns) [with (Props)].
type ParseKvOp struct {
	At
	X       Expr
	Columns []*ColumnDecl
	Props   []*OpParam
}

// PartitionOp is partition [Params] by Col (Body) or { Body }. With
// parentheses Body is a Pipeline whose Source is nil; with braces (Braced)
// Body is a whole tabular expression.
type PartitionOp struct {
	At
	Params []*OpParam
	By     Expr
	Body   Expr
	Braced bool
}

// ReduceOp is reduce [Params] by X [with Props].
type ReduceOp struct {
	At
	Params []*OpParam
	By     Expr
	Props  []*OpParam
}

// RenderOp is render Chart [with (Props)], or legacy render Chart Props.
type RenderOp struct {
	At
	Chart *Ident
	Props []*OpParam
}

// SampleOp is sample N.
type SampleOp struct {
	At
	N Expr
}

// SampleDistinctOp is sample-distinct N of Col.
type SampleDistinctOp struct {
	At
	N   Expr
	Col Expr
}

// ScanStep is step Name [output=...]: Pred [=> Assigns].
type ScanStep struct {
	At
	Name    *Ident
	Params  []*OpParam
	Pred    Expr
	Assigns []*Assign
}

// ScanOp is scan [Params] [declare (Declare)] with (Steps).
type ScanOp struct {
	At
	Params  []*OpParam
	Declare []*Param
	Steps   []*ScanStep
}

// SearchOp is search [Params] [in (Tables)] Pred. In Pred, Col:"term"
// is a BinaryExpr whose Op is ":".
type SearchOp struct {
	At
	Params []*OpParam
	Tables []Expr // nil when there is no in clause
	Pred   Expr
}

// SerializeOp is serialize [Items].
type SerializeOp struct {
	At
	Items []*Assign
}

// TopHittersOp is top-hitters N of Col [by Sum].
type TopHittersOp struct {
	At
	N   Expr
	Of  Expr
	Sum Expr // may be nil
}

// TopNestedLevel is one level of top-nested: [N] of Of [with others = Others] by By [asc|desc].
type TopNestedLevel struct {
	At
	N      Expr // may be nil
	Of     *Assign
	Others Expr // may be nil
	By     *Assign
	Order  string // "", "asc" or "desc"
}

// TopNestedOp is top-nested Level, top-nested Level, ....
type TopNestedOp struct {
	At
	Levels []*TopNestedLevel
}

// ExternalDataOp is externaldata (Columns) [URIs] [with (Props)].
type ExternalDataOp struct {
	At
	Columns []*ColumnDecl
	URIs    []Expr
	Props   []*OpParam
}

// ProjectByNamesOp is project-by-names Specs: each spec is a column name, a
// wildcard pattern, or a dynamic array of names, as constants.
type ProjectByNamesOp struct {
	At
	Specs []Expr
}

// RawOp is an operator huntql recognises but does not model, such as the
// graph operators: its text is kept as written.
type RawOp struct {
	At
	Name string
	Text string // the source text after the name, up to the next | at depth 0
}

func (*AsOp) opNode()             {}
func (*ConsumeOp) opNode()        {}
func (*EvaluateOp) opNode()       {}
func (*FacetOp) opNode()          {}
func (*FindOp) opNode()           {}
func (*ForkOp) opNode()           {}
func (*GetSchemaOp) opNode()      {}
func (*InvokeOp) opNode()         {}
func (*MakeSeriesOp) opNode()     {}
func (*MvApplyOp) opNode()        {}
func (*ParseOp) opNode()          {}
func (*ParseKvOp) opNode()        {}
func (*PartitionOp) opNode()      {}
func (*ReduceOp) opNode()         {}
func (*RenderOp) opNode()         {}
func (*SampleOp) opNode()         {}
func (*SampleDistinctOp) opNode() {}
func (*ScanOp) opNode()           {}
func (*SearchOp) opNode()         {}
func (*SerializeOp) opNode()      {}
func (*TopHittersOp) opNode()     {}
func (*TopNestedOp) opNode()      {}
func (*ExternalDataOp) opNode()   {}
func (*RawOp) opNode()            {}
func (*ProjectByNamesOp) opNode() {}
