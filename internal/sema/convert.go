package sema

import (
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// convertConst converts a constant to type t where Kusto converts
// literals implicitly (a long literal in an int or real column, and so on).
func convertConst(x plan.Expr, t types.Type) (plan.Expr, bool) {
	c, ok := x.(*plan.Const)
	if !ok {
		if n, isNeg := x.(*plan.Neg); isNeg {
			if inner, ok := convertConst(n.X, t); ok {
				if v, ok := negate(inner.(*plan.Const).Value); ok {
					return &plan.Const{Value: v, T: t}, true
				}
			}
		}
		return nil, false
	}
	if c.Value == nil {
		if t == types.String {
			return &plan.Const{Value: "", T: t}, true
		}
		return &plan.Const{T: t}, true
	}
	if c.T == t {
		return c, true
	}
	if t == types.Dynamic {
		return &plan.Const{Value: c.Value, T: t}, true
	}
	var v any
	switch n := c.Value.(type) {
	case int64:
		switch t {
		case types.Int:
			v = int32(n)
		case types.Real:
			v = float64(n)
		case types.Decimal:
			v = decimal.NewFromInt(n)
		}
	case int32:
		switch t {
		case types.Long:
			v = int64(n)
		case types.Real:
			v = float64(n)
		case types.Decimal:
			v = decimal.NewFromInt32(n)
		}
	case float64:
		if t == types.Decimal {
			v = decimal.NewFromFloat(n)
		}
	}
	if v == nil {
		return nil, false
	}
	return &plan.Const{Value: v, T: t}, true
}
