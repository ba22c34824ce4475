package syntax

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/huntql/huntql/internal/types"
	"github.com/shopspring/decimal"
)

// Print renders n as canonical KQL text: one statement per line, each
// pipeline operator on a line of its own, single spaces around binary
// operators, strings in double quotes. Parsing the text again yields a tree
// that prints the same. Comments are not kept.
func Print(n Node) string {
	var pr printer
	pr.node(n)
	return pr.b.String()
}

type printer struct {
	b      strings.Builder
	indent int  // nesting of parentheses and braces around the current pipeline
	parens bool // wrap every operator expression in parentheses, to show the tree in tests
}

// nl starts a new line at the current indentation.
func (pr *printer) nl() {
	pr.b.WriteByte('\n')
	for range pr.indent {
		pr.b.WriteString("    ")
	}
}

func (pr *printer) s(parts ...string) {
	for _, p := range parts {
		pr.b.WriteString(p)
	}
}

func (pr *printer) node(n Node) {
	switch n := n.(type) {
	case nil:
		pr.s("<nil>")
	case *Script:
		for i, st := range n.Stmts {
			if i > 0 {
				pr.s(";\n")
			}
			pr.node(st)
		}
	case Stmt:
		pr.stmt(n)
	case Expr:
		pr.expr(n)
	case Operator:
		pr.op(n)
	case *TypeRef:
		pr.typeRef(n)
	case *Assign:
		pr.assign(n)
	case *SortKey:
		pr.sortKey(n)
	case *OpParam:
		pr.s(n.Name, "=")
		pr.expr(n.Value)
	case *Param:
		pr.param(n)
	case *ColumnDecl:
		pr.ident(n.Name)
		pr.s(": ")
		pr.typeRef(n.Type)
	case *Block:
		pr.block(n)
	default:
		pr.s(fmt.Sprintf("<%T>", n))
	}
}

func (pr *printer) stmt(st Stmt) {
	switch st := st.(type) {
	case *LetStmt:
		pr.s("let ")
		pr.ident(st.Name)
		pr.s(" = ")
		pr.expr(st.Value)
	case *ExprStmt:
		pr.expr(st.X)
	case *SetStmt:
		pr.s("set ", st.Name.Name)
		if st.Value != nil {
			pr.s(" = ")
			pr.expr(st.Value)
		}
	case *DeclareStmt:
		pr.s("declare query_parameters(")
		pr.params(st.Params)
		pr.s(")")
	case *PatternStmt:
		pr.pattern(st)
	case *AliasStmt:
		pr.s("alias database ")
		pr.ident(st.Name)
		pr.s(" = ")
		pr.expr(st.Value)
	default:
		pr.s(fmt.Sprintf("<%T>", st))
	}
}

func (pr *printer) params(ps []*Param) {
	for i, p := range ps {
		if i > 0 {
			pr.s(", ")
		}
		pr.param(p)
	}
}

func (pr *printer) param(p *Param) {
	pr.ident(p.Name)
	pr.s(": ")
	pr.typeRef(p.Type)
	if p.Default != nil {
		pr.s(" = ")
		pr.expr(p.Default)
	}
}

func (pr *printer) typeRef(t *TypeRef) {
	switch {
	case t == nil:
		pr.s("<nil>")
	case t.Star && len(t.Columns) > 0:
		pr.s("(*, ")
		pr.columns(t.Columns)
		pr.s(")")
	case t.Star:
		pr.s("(*)")
	case t.Name != "":
		pr.s(t.Name)
	default:
		pr.s("(")
		pr.columns(t.Columns)
		pr.s(")")
	}
}

func (pr *printer) columns(cols []*ColumnDecl) {
	for i, c := range cols {
		if i > 0 {
			pr.s(", ")
		}
		pr.node(c)
	}
}

func (pr *printer) block(b *Block) {
	pr.s("{")
	pr.indent++
	for _, st := range b.Stmts {
		pr.nl()
		pr.stmt(st)
		pr.s(";")
	}
	if b.Result != nil {
		pr.nl()
		pr.expr(b.Result)
	}
	pr.indent--
	pr.nl()
	pr.s("}")
}

// isPlainName reports whether name can be written without brackets: it
// scans back as one identifier token.
func isPlainName(name string) bool {
	if name == "" {
		return false
	}
	sc := &Scanner{src: name}
	t := sc.Next()
	return t.Kind == TokIdent && t.Text == name && sc.Next().Kind == TokEOF
}

func (pr *printer) ident(id *Ident) {
	if id == nil {
		pr.s("<nil>")
		return
	}
	if !id.Quoted && isPlainName(id.Name) {
		pr.s(id.Name)
		return
	}
	pr.s("[", quote(id.Name), "]")
}

// quote renders s as a double-quoted Kusto string literal.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\u%04x`, s[i])
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	b.WriteByte('"')
	return b.String()
}

func (pr *printer) exprs(list []Expr) {
	for i, x := range list {
		if i > 0 {
			pr.s(", ")
		}
		pr.expr(x)
	}
}

func (pr *printer) expr(x Expr) {
	switch x := x.(type) {
	case nil:
		pr.s("<nil>")
	case *Ident:
		pr.ident(x)
	case *Pattern:
		pr.s(x.Text)
	case *Literal:
		pr.literal(x)
	case *StarExpr:
		pr.s("*")
	case *UnaryExpr:
		pr.open()
		pr.s(x.Op)
		pr.expr(x.X)
		pr.close()
	case *BinaryExpr:
		pr.open()
		pr.expr(x.X)
		pr.s(" ", x.Op, " ")
		pr.expr(x.Y)
		pr.close()
	case *InExpr:
		pr.expr(x.X)
		pr.s(" ", x.Op, " (")
		pr.exprs(x.List)
		pr.s(")")
	case *BetweenExpr:
		pr.expr(x.X)
		if x.Not {
			pr.s(" !between (")
		} else {
			pr.s(" between (")
		}
		pr.expr(x.Lo)
		pr.s(" .. ")
		pr.expr(x.Hi)
		pr.s(")")
	case *CallExpr:
		pr.ident(x.Fun)
		pr.s("(")
		pr.exprs(x.Args)
		pr.s(")")
	case *NamedArg:
		pr.ident(x.Name)
		pr.s("=")
		pr.expr(x.Value)
	case *MemberExpr:
		pr.expr(x.X)
		pr.s(".")
		pr.ident(x.Name)
	case *MethodCallExpr:
		pr.expr(x.X)
		pr.s(".")
		pr.expr(x.Call)
	case *IndexExpr:
		pr.expr(x.X)
		pr.s("[")
		pr.expr(x.Index)
		pr.s("]")
	case *ParenExpr:
		pr.s("(")
		pr.indent++
		pr.expr(x.X)
		pr.indent--
		pr.s(")")
	case *Pipeline:
		if x.Source != nil {
			pr.expr(x.Source)
		}
		for i, op := range x.Ops {
			if i > 0 || x.Source != nil {
				pr.nl()
				pr.s("| ")
			}
			pr.op(op)
		}
	case *FuncLit:
		if x.View {
			pr.s("view ")
		}
		pr.s("(")
		pr.params(x.Params)
		pr.s(") ")
		pr.block(x.Body)
	case *TypeOfExpr:
		pr.s("typeof(")
		if t := x.Type; t != nil && t.Star {
			pr.s("*")
			if len(t.Columns) > 0 {
				pr.s(", ")
				pr.columns(t.Columns)
			}
		} else if t != nil && t.Name == "" {
			pr.columns(t.Columns)
		} else {
			pr.typeRef(t)
		}
		pr.s(")")
	case *ListExpr:
		pr.exprs(x.Items)
	case *BadExpr:
		pr.s("<error>")
	default:
		pr.s(fmt.Sprintf("<%T>", x))
	}
}

func (pr *printer) open() {
	if pr.parens {
		pr.s("{")
	}
}

func (pr *printer) close() {
	if pr.parens {
		pr.s("}")
	}
}

func (pr *printer) literal(l *Literal) {
	if l.Kind == LitString {
		s, _ := l.Value.(string)
		if l.Obfuscated {
			pr.s("h")
		}
		pr.s(quote(s))
		return
	}
	if l.Kind == LitDynamic || l.Kind == LitNull && l.Type == types.Dynamic {
		pr.s("dynamic(", dynamicText(l.Value), ")")
		return
	}
	if l.Raw != "" && !strings.ContainsAny(l.Raw, "\n\r") {
		pr.s(l.Raw)
		return
	}
	if l.Kind == LitNull {
		pr.s(l.Type.String(), "(null)")
		return
	}
	pr.s(scalarText(l.Value))
}

// scalarText renders a scalar value as a Kusto literal.
func scalarText(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case int32:
		return "int(" + strconv.FormatInt(int64(v), 10) + ")"
	case int64:
		if v < 0 {
			return "long(" + strconv.FormatInt(v, 10) + ")"
		}
		return strconv.FormatInt(v, 10)
	case float64:
		return realText(v)
	case decimal.Decimal:
		return "decimal(" + v.String() + ")"
	case string:
		return quote(v)
	case types.Date:
		return "datetime(" + v.String() + ")"
	case types.Duration:
		return "time(" + v.String() + ")"
	case uuid.UUID:
		return "guid(" + v.String() + ")"
	}
	return fmt.Sprintf("<%T>", v)
}

func realText(f float64) string {
	switch {
	case math.IsNaN(f):
		return "real(nan)"
	case math.IsInf(f, 1):
		return "real(+inf)"
	case math.IsInf(f, -1):
		return "real(-inf)"
	case f < 0 || f == 0 && math.Signbit(f):
		return "real(" + strconv.FormatFloat(f, 'g', -1, 64) + ")"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// dynamicText renders a dynamic value as the contents of dynamic(...).
func dynamicText(v any) string {
	switch v := v.(type) {
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = dynamicText(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *types.Bag:
		parts := make([]string, 0, v.Len())
		for _, k := range v.Keys() {
			e, _ := v.Get(k)
			parts = append(parts, quote(k)+": "+dynamicText(e))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return scalarText(v)
}
