package sema

import (
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// externalFormats are the data formats externaldata reads.
var externalFormats = []string{"csv", "tsv", "tsve", "psv", "scsv", "sohsv", "json",
	"multijson", "singlejson", "txt", "raw"}

// externalData binds externaldata (Columns) [URIs] with (Props). The files
// are read when the query runs.
func (a *analyzer) externalData(sc *scope, op *syntax.ExternalDataOp) plan.Node {
	n := &plan.ExternalData{Format: "csv"}
	for _, c := range op.Columns {
		if c.Type == nil || c.Type.Scalar == types.Unknown {
			a.errorf(c, "externaldata expects Name: type for column %s", c.Name.Name)
			return nil
		}
		if n.Out.Index(c.Name.Name) >= 0 {
			a.errorf(c, "externaldata declares column %s twice", c.Name.Name)
			return nil
		}
		n.Out = append(n.Out, column.Field{Name: c.Name.Name, Type: c.Type.Scalar})
	}
	for _, u := range op.URIs {
		x := a.scalar(sc, nil, u)
		if x == nil {
			return nil
		}
		v, ok := foldConst(x)
		s, isStr := v.(string)
		if !ok || !isStr {
			a.errorf(u, "externaldata expects constant string URIs, found %s", describe(u))
			return nil
		}
		n.URIs = append(n.URIs, s)
	}
	if len(n.URIs) == 0 {
		a.errorf(op, "externaldata expects at least one storage URI in [...]")
		return nil
	}
	for _, p := range op.Props {
		val := propText(p.Value)
		switch strings.ToLower(p.Name) {
		case "format":
			f := strings.ToLower(val)
			ok := false
			for _, k := range externalFormats {
				ok = ok || k == f
			}
			if !ok {
				a.errorf(p, "externaldata format expects one of %s, found %s",
					strings.Join(externalFormats, ", "), val)
				return nil
			}
			n.Format = f
		case "ignorefirstrecord":
			n.IgnoreFirst = strings.EqualFold(val, "true")
		default:
			// Other ingestion properties (compression, encoding hints and
			// the like) do not change how local files read here.
		}
	}
	if (n.Format == "txt" || n.Format == "raw") && len(n.Out) != 1 {
		a.errorf(op, "externaldata format %s expects a single string column, found %d columns",
			n.Format, len(n.Out))
		return nil
	}
	if len(n.Out) == 0 {
		a.errorf(op, "externaldata expects at least one column")
		return nil
	}
	return n
}
