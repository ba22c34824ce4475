package plan

import "github.com/huntql/huntql/internal/types"

// Bound is what filters directly above a Scan imply about one scanned
// column: a row whose value lies outside it cannot pass them, so a reader
// may skip it (it need not: the filters still run).
type Bound struct {
	Column string
	// Lo and Hi bound a datetime column (types.Date) or an int or long
	// column (int64); nil is unbounded. LoIncl and HiIncl say whether the
	// bound itself passes.
	Lo, Hi         any
	LoIncl, HiIncl bool
	// Values, when not nil, are the only values a string column may hold
	// (== and in, which compare case-sensitively).
	Values []string
}

// Bounds returns the bounds that preds (the predicates of filters directly
// above scan, in any order) imply: their conjuncts comparing a datetime
// column with a constant (<, <=, >, >=, ==, between) and a string column
// with constants (==, in). eval computes a constant expression, reporting
// false when it cannot. A column may get several bounds; all hold.
func Bounds(scan *Scan, preds []Expr, eval func(Expr) (any, bool)) []Bound {
	var out []Bound
	var walk func(e Expr)
	walk = func(e Expr) {
		switch e := e.(type) {
		case *Binary:
			if e.Op == "and" {
				walk(e.L)
				walk(e.R)
				return
			}
			if b, ok := compareBound(scan, e, eval); ok {
				out = append(out, b)
			}
		case *Between:
			col, ok := e.X.(*ColRef)
			if !ok || e.Not || col.T != types.Datetime || !scanned(scan, col) {
				return
			}
			lo, ok1 := eval(e.Lo)
			hi, ok2 := eval(e.Hi)
			_, d1 := lo.(types.Date)
			_, d2 := hi.(types.Date)
			if ok1 && ok2 && d1 && d2 {
				out = append(out, Bound{Column: col.Name, Lo: lo, Hi: hi, LoIncl: true,
					HiIncl: true})
			}
		case *In:
			col, ok := e.X.(*ColRef)
			if !ok || e.Op != "in" || e.Sub != nil || col.T != types.String ||
				!scanned(scan, col) {
				return
			}
			vals := []string{}
			for _, x := range e.List {
				v, ok := eval(x)
				s, isStr := v.(string)
				if !ok || !isStr {
					return // a dynamic array, or not constant: no bound
				}
				vals = append(vals, s)
			}
			out = append(out, Bound{Column: col.Name, Values: vals})
		}
	}
	for _, p := range preds {
		walk(p)
	}
	return out
}

// scanned reports whether col reads scan's column of that name.
func scanned(scan *Scan, col *ColRef) bool {
	return col.Index >= 0 && col.Index < len(scan.Columns) &&
		scan.Columns[col.Index].Name == col.Name
}

// flipped gives the comparison with its operands swapped.
var flipped = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "=="}

func compareBound(scan *Scan, e *Binary, eval func(Expr) (any, bool)) (Bound, bool) {
	op, ok := flipped[e.Op]
	if !ok {
		return Bound{}, false
	}
	col, isCol := e.L.(*ColRef)
	other := e.R
	if isCol {
		op = e.Op
	} else if col, isCol = e.R.(*ColRef); isCol {
		other = e.L
	} else {
		return Bound{}, false
	}
	if !scanned(scan, col) {
		return Bound{}, false
	}
	v, ok := eval(other)
	if !ok {
		return Bound{}, false
	}
	switch col.T {
	case types.String:
		s, isStr := v.(string)
		if op != "==" || !isStr {
			return Bound{}, false
		}
		return Bound{Column: col.Name, Values: []string{s}}, true
	case types.Int, types.Long:
		switch n := v.(type) {
		case int32:
			v = int64(n)
		case int64:
		default:
			return Bound{}, false // a real or a null: compared otherwise
		}
		fallthrough
	case types.Datetime:
		if _, isDate := v.(types.Date); !isDate && col.T == types.Datetime {
			return Bound{}, false
		}
		b := Bound{Column: col.Name}
		switch op {
		case "<", "<=":
			b.Hi, b.HiIncl = v, op == "<="
		case ">", ">=":
			b.Lo, b.LoIncl = v, op == ">="
		case "==":
			b.Lo, b.Hi, b.LoIncl, b.HiIncl = v, v, true, true
		}
		return b, true
	}
	return Bound{}, false
}
