package syntax

import "github.com/huntql/huntql/internal/types"

// Node is any node of the syntax tree.
type Node interface {
	Span() Span
}

// At is embedded in every node and records the node's source span.
type At struct {
	Sp Span // half-open
}

// Span returns the node's source span.
func (a At) Span() Span { return a.Sp }

// ---- Statements ----

// Script is a whole query text: statements separated by semicolons. The
// last statement that is an expression is the query's result.
type Script struct {
	At
	Stmts []Stmt
}

// Stmt is a statement of a script.
type Stmt interface {
	Node
	stmtNode()
}

// LetStmt binds a name: let Name = Value. Value is a scalar or tabular
// expression, or a *FuncLit for a function.
type LetStmt struct {
	At
	Name  *Ident
	Value Expr
}

// ExprStmt is a statement that is an expression, normally a tabular query.
type ExprStmt struct {
	At
	X Expr
}

// SetStmt is a request property: set Name [= Value].
type SetStmt struct {
	At
	Name  *Ident
	Value Expr // may be nil
}

// DeclareStmt declares query parameters: declare query_parameters(name:type [= default], ...).
type DeclareStmt struct {
	At
	Params []*Param
}

func (*LetStmt) stmtNode()     {}
func (*ExprStmt) stmtNode()    {}
func (*SetStmt) stmtNode()     {}
func (*DeclareStmt) stmtNode() {}

// ---- Expressions ----

// Expr is a scalar or tabular expression. Whether an expression is tabular
// is decided by semantic analysis, since a name may denote either.
type Expr interface {
	Node
	exprNode()
}

// Ident is a name: a column, table, let-bound name or function. Bracketed
// names (['Name'], ["Name"]) have Quoted set; $left and $right are Idents
// whose Name starts with '$'.
type Ident struct {
	At
	Name   string
	Quoted bool
}

// Pattern is a column-name pattern with wildcards (Initiating*), as taken
// by project-away, project-keep, project-reorder and similar.
type Pattern struct {
	At
	Text string
}

// LitKind tells which kind of literal a Literal is.
type LitKind uint8

// Literal kinds.
const (
	LitNull LitKind = iota // a typed null such as int(null); Type says which
	LitBool
	LitInt
	LitLong
	LitReal
	LitDecimal
	LitString
	LitDatetime
	LitTimespan
	LitGuid
	LitDynamic
)

// Literal is a constant. Value holds the Go value (see package types) of
// Kusto type Type; it is nil for typed nulls. Raw is the literal's source text.
type Literal struct {
	At
	Kind  LitKind
	Type  types.Type
	Value any
	Raw   string
	// Obfuscated marks h'...' strings, which Kusto keeps out of its logs.
	Obfuscated bool
}

// StarExpr is a lone * argument, as in arg_max(Timestamp, *) or count(*).
type StarExpr struct {
	At
}

// UnaryExpr is -X or +X.
type UnaryExpr struct {
	At
	Op string
	X  Expr
}

// BinaryExpr is X Op Y. Op is the operator's canonical lower-case spelling:
// arithmetic (+ - * / %), comparison (== != < <= > >= =~ !~), logical
// (and or), and string operators (contains, !contains, contains_cs, has,
// !has, has_cs, startswith, endswith, ..., "matches regex").
type BinaryExpr struct {
	At
	Op     string
	OpSpan Span
	X, Y   Expr
}

// InExpr is X Op (List...), where Op is one of in, !in, in~, !in~, has_any,
// has_all. List holds scalars, dynamic arrays, or one tabular expression.
type InExpr struct {
	At
	Op     string
	OpSpan Span
	X      Expr
	List   []Expr
}

// BetweenExpr is X between (Lo .. Hi) or X !between (Lo .. Hi).
type BetweenExpr struct {
	At
	X, Lo, Hi Expr
	Not       bool
}

// CallExpr is a call of a scalar function, aggregate or user function: Fun(Args).
type CallExpr struct {
	At
	Fun  *Ident
	Args []Expr
}

// NamedArg is a named argument of a call or plugin: Name = Value.
type NamedArg struct {
	At
	Name  *Ident
	Value Expr
}

// MemberExpr is X.Name, as in parse_url(u).Host or $left.DeviceId.
type MemberExpr struct {
	At
	X    Expr
	Name *Ident
}

// IndexExpr is X[Index], as in d["key"] or arr[0].
type IndexExpr struct {
	At
	X     Expr
	Index Expr
}

// ParenExpr is (X).
type ParenExpr struct {
	At
	X Expr
}

// Pipeline is a tabular expression: Source | Ops[0] | Ops[1] .... When
// Source is nil the pipeline starts with an operator that makes rows of its
// own (print, range, datatable, union, find, search, evaluate, externaldata),
// held in Ops[0].
type Pipeline struct {
	At
	Source Expr
	Ops    []Operator
}

// FuncLit is the body of a user function: (params) { body }.
type FuncLit struct {
	At
	Params []*Param
	Body   *Block
	// View marks let Name = view () { ... }: a union or find wildcard
	// (Name*) matches views, not other let-bound names.
	View bool
}

// Block is a function body: let statements, then the result expression.
type Block struct {
	At
	Stmts  []Stmt // the statements before the result; normally lets
	Result Expr
}

// Param is a parameter of a user function or of declare query_parameters:
// Name: Type [= Default].
type Param struct {
	At
	Name    *Ident
	Type    *TypeRef
	Default Expr // may be nil
}

// TypeRef names a scalar type (string, long, ...) or a tabular schema:
// (*) for any table, or (Col: type, ...).
type TypeRef struct {
	At
	Name    string        // scalar type name; empty for a tabular schema
	Scalar  types.Type    // resolved scalar type, Unknown for tabular
	Star    bool          // (*)
	Columns []*ColumnDecl // (Col: type, ...)
}

// ColumnDecl is Name: Type in a schema, as in datatable(Name: string).
type ColumnDecl struct {
	At
	Name *Ident
	Type *TypeRef
}

// TypeOfExpr is typeof(type) or typeof(Col: type, ...), as in mv-expand ... to typeof(long).
type TypeOfExpr struct {
	At
	Type *TypeRef
}

func (*Ident) exprNode()       {}
func (*Pattern) exprNode()     {}
func (*Literal) exprNode()     {}
func (*StarExpr) exprNode()    {}
func (*UnaryExpr) exprNode()   {}
func (*BinaryExpr) exprNode()  {}
func (*InExpr) exprNode()      {}
func (*BetweenExpr) exprNode() {}
func (*CallExpr) exprNode()    {}
func (*NamedArg) exprNode()    {}
func (*MemberExpr) exprNode()  {}
func (*IndexExpr) exprNode()   {}
func (*ParenExpr) exprNode()   {}
func (*Pipeline) exprNode()    {}
func (*FuncLit) exprNode()     {}
func (*TypeOfExpr) exprNode()  {}

// ---- Tabular operators ----

// Operator is one stage of a pipeline.
type Operator interface {
	Node
	opNode()
}

// OpParam is an operator parameter such as kind=inner, hint.strategy=shuffle,
// withsource=T, isfuzzy=true, with_itemindex=i or bagexpansion=array.
type OpParam struct {
	At
	Name  string // as written, lower-cased: "kind", "hint.strategy", ...
	Value Expr   // an *Ident for bare words such as inner or array
}

// Assign is one item of project, extend, summarize or print: Names = Value,
// (N1, N2) = Value for tuples, or a bare Value whose column is named by
// semantic analysis.
type Assign struct {
	At
	Names []*Ident // empty when unnamed
	Value Expr
}

// SortKey is one key of sort, order and top: X [asc|desc] [nulls first|last].
type SortKey struct {
	At
	X     Expr
	Order string // "", "asc" or "desc"
	Nulls string // "", "first" or "last"
}

// WhereOp is where (or filter) Pred.
type WhereOp struct {
	At
	Pred Expr
}

// ExtendOp is extend Items.
type ExtendOp struct {
	At
	Items []*Assign
}

// ProjectOp is project Items.
type ProjectOp struct {
	At
	Items []*Assign
}

// ProjectAwayOp is project-away Cols, each an *Ident or *Pattern.
type ProjectAwayOp struct {
	At
	Cols []Expr
}

// ProjectKeepOp is project-keep Cols, each an *Ident or *Pattern.
type ProjectKeepOp struct {
	At
	Cols []Expr
}

// ProjectRenameOp is project-rename New = Old, ...; each Value is an *Ident.
type ProjectRenameOp struct {
	At
	Items []*Assign
}

// ProjectReorderOp is project-reorder Cols [asc|desc|granny-asc|granny-desc].
type ProjectReorderOp struct {
	At
	Cols []*SortKey // X is an *Ident or *Pattern
}

// SummarizeOp is summarize [Params] Aggs [by By].
type SummarizeOp struct {
	At
	Params []*OpParam
	Aggs   []*Assign
	By     []*Assign
}

// SortOp is sort by / order by Keys.
type SortOp struct {
	At
	Params []*OpParam
	Keys   []*SortKey
}

// TopOp is top N by Key.
type TopOp struct {
	At
	N   Expr
	Key *SortKey
}

// TakeOp is take N or limit N.
type TakeOp struct {
	At
	N Expr
}

// CountOp is count.
type CountOp struct {
	At
}

// DistinctOp is distinct Cols or distinct *.
type DistinctOp struct {
	At
	Params []*OpParam
	Cols   []Expr
	Star   bool
}

// JoinOp is join [Params] (Right) on On [where ...]. Each On entry is an
// *Ident (a column of both sides) or a BinaryExpr $left.A == $right.B.
type JoinOp struct {
	At
	Params []*OpParam
	Right  Expr
	On     []Expr
}

// LookupOp is lookup [kind=leftouter|inner] (Right) on On.
type LookupOp struct {
	At
	Params []*OpParam
	Right  Expr
	On     []Expr
}

// UnionOp is union [Params] Tables.
type UnionOp struct {
	At
	Params []*OpParam
	Tables []Expr
}

// MvExpandItem is one column of mv-expand: [Name =] X [to typeof(T)].
type MvExpandItem struct {
	At
	Name *Ident // may be nil
	X    Expr
	To   *TypeRef // may be nil
}

// MvExpandOp is mv-expand [Params] Items [limit N]. Legacy marks the
// obsolete spelling mvexpand, whose default limit is 128 rows.
type MvExpandOp struct {
	At
	Legacy bool
	Params []*OpParam
	Items  []*MvExpandItem
	Limit  Expr // may be nil
}

// PrintOp is print Items.
type PrintOp struct {
	At
	Items []*Assign
}

// RangeOp is range Name from From to To step Step.
type RangeOp struct {
	At
	Name           *Ident
	From, To, Step Expr
}

// DatatableOp is datatable [Params] (Columns) [Values]; values are listed row by row.
type DatatableOp struct {
	At
	Params  []*OpParam
	Columns []*ColumnDecl
	Values  []Expr
}

func (*WhereOp) opNode()          {}
func (*ExtendOp) opNode()         {}
func (*ProjectOp) opNode()        {}
func (*ProjectAwayOp) opNode()    {}
func (*ProjectKeepOp) opNode()    {}
func (*ProjectRenameOp) opNode()  {}
func (*ProjectReorderOp) opNode() {}
func (*SummarizeOp) opNode()      {}
func (*SortOp) opNode()           {}
func (*TopOp) opNode()            {}
func (*TakeOp) opNode()           {}
func (*CountOp) opNode()          {}
func (*DistinctOp) opNode()       {}
func (*JoinOp) opNode()           {}
func (*LookupOp) opNode()         {}
func (*UnionOp) opNode()          {}
func (*MvExpandOp) opNode()       {}
func (*PrintOp) opNode()          {}
func (*RangeOp) opNode()          {}
func (*DatatableOp) opNode()      {}
