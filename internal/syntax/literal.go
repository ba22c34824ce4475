package syntax

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/huntql/huntql/internal/types"
	"github.com/shopspring/decimal"
)

// scalarType resolves a type name in any of Kusto's spellings.
func scalarType(name string) (types.Type, bool) {
	return types.Parse(name)
}

// literal converts a number, timespan or typed-literal token into a Literal.
func (p *parser) literal(t Token) Expr {
	lit := &Literal{At: At{t.span()}, Raw: t.Text}
	bad := func(what string) Expr {
		p.errorAt(t.span(), "expected %s, found %q", what, t.Val)
		return lit
	}
	switch t.Kind {
	case TokLong:
		lit.Kind, lit.Type = LitLong, types.Long
		if v, ok := parseInt(t.Text, 64); ok {
			lit.Value = v
		} else if f, err := strconv.ParseFloat(t.Text, 64); err == nil {
			lit.Kind, lit.Type, lit.Value = LitReal, types.Real, f
		} else {
			p.errorAt(t.span(), "expected a long literal, found %q", t.Text)
		}
	case TokReal:
		lit.Kind, lit.Type = LitReal, types.Real
		f, _ := strconv.ParseFloat(t.Text, 64)
		lit.Value = f
	case TokTimespan:
		lit.Kind, lit.Type = LitTimespan, types.Timespan
		d, ok := types.ParseTimespan(t.Text)
		if !ok {
			p.errorAt(t.span(), "expected a timespan literal, found %q", t.Text)
		}
		lit.Value = d
	case TokTypedLit:
		typ, _ := scalarType(t.Name)
		lit.Type = typ
		if strings.EqualFold(t.Val, "null") {
			lit.Kind = LitNull
			return lit
		}
		v, ok := typedValue(typ, t.Val)
		if !ok {
			return bad("a " + typ.String() + " value")
		}
		lit.Kind = litKinds[typ]
		lit.Value = v
	}
	return lit
}

var litKinds = map[types.Type]LitKind{
	types.Bool: LitBool, types.Int: LitInt, types.Long: LitLong, types.Real: LitReal,
	types.Decimal: LitDecimal, types.String: LitString, types.Datetime: LitDatetime,
	types.Timespan: LitTimespan, types.Guid: LitGuid, types.Dynamic: LitDynamic,
}

// parseInt parses a decimal or 0x-hexadecimal integer with an optional sign.
func parseInt(s string, bits int) (int64, bool) {
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	s = strings.TrimSpace(s)
	var u uint64
	var err error
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		u, err = strconv.ParseUint(s[2:], 16, 64)
	} else {
		u, err = strconv.ParseUint(s, 10, 64)
	}
	if err != nil {
		return 0, false
	}
	limit := uint64(1) << (bits - 1)
	if neg {
		if u > limit {
			return 0, false
		}
		return -int64(u-1) - 1, true
	}
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		return int64(u), bits == 64 || u < limit
	}
	if u >= limit {
		return 0, false
	}
	return int64(u), true
}

// typedValue parses the raw contents of a typed literal such as
// datetime(2025-05-07) or real(+inf).
func typedValue(typ types.Type, raw string) (any, bool) {
	switch typ {
	case types.Bool:
		switch strings.ToLower(raw) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	case types.Int:
		if v, ok := parseInt(raw, 32); ok {
			return int32(v), true
		}
	case types.Long:
		if v, ok := parseInt(raw, 64); ok {
			return v, true
		}
	case types.Real:
		switch strings.ToLower(raw) {
		case "nan":
			return math.NaN(), true
		case "inf", "+inf":
			return math.Inf(1), true
		case "-inf":
			return math.Inf(-1), true
		}
		if f, err := strconv.ParseFloat(raw, 64); err == nil && !strings.ContainsAny(raw, "iInN") {
			return f, true
		}
	case types.Decimal:
		if d, err := decimal.NewFromString(raw); err == nil {
			return d, true
		}
	case types.Datetime:
		return parseDatetimeLiteral(raw)
	case types.Timespan:
		if d, ok := types.ParseTimespan(raw); ok {
			return d, true
		}
	case types.Guid:
		if g, err := uuid.Parse(raw); err == nil {
			return g, true
		}
	}
	return nil, false
}

// parseDynamicLit reads dynamic(value): JSON with Kusto literals inside.
func (p *parser) parseDynamicLit() Expr {
	t := p.next()
	p.next() // (
	lit := &Literal{Kind: LitDynamic, Type: types.Dynamic}
	if p.isOp(")") {
		p.expected("a dynamic value")
	} else {
		lit.Value = p.parseDynamicValue()
	}
	p.expectOp(")")
	lit.Sp = Span{t.Pos, p.prevEnd()}
	lit.Raw = p.src.Text[t.Pos:lit.Sp.End]
	if lit.Value == nil {
		lit.Kind = LitNull
	}
	return lit
}

// parseDynamicValue reads one value of a dynamic literal.
func (p *parser) parseDynamicValue() any {
	defer p.leave()
	if !p.enter() {
		p.skipTo(")")
		return nil
	}
	t := p.tok()
	switch t.Kind {
	case TokString:
		p.next()
		val := t.Val
		for p.tok().Kind == TokString {
			val += p.next().Val
		}
		return val
	case TokLong, TokReal, TokTimespan, TokTypedLit:
		p.next()
		return dynamicOf(p.literal(t))
	case TokIdent:
		switch t.Text {
		case "dynamic":
			if nx := p.peek(1); nx.Kind == TokOp && nx.Text == "(" {
				lit := p.parseDynamicLit().(*Literal)
				return lit.Value
			}
		case "null":
			p.next()
			return nil
		case "true", "True", "TRUE":
			p.next()
			return true
		case "false", "False", "FALSE":
			p.next()
			return false
		}
	case TokOp:
		switch t.Text {
		case "-", "+":
			p.next()
			n := p.tok()
			if n.Kind != TokLong && n.Kind != TokReal && n.Kind != TokTimespan {
				p.expected("a number")
				return nil
			}
			p.next()
			v := dynamicOf(p.literal(n))
			if t.Text == "-" {
				return negate(v)
			}
			return v
		case "[":
			p.next()
			arr := []any{}
			for !p.isOp("]") && p.tok().Kind != TokEOF {
				arr = append(arr, p.parseDynamicValue())
				if !p.gotOp(",") {
					break
				}
			}
			p.expectOp("]")
			return arr
		case "{":
			p.next()
			bag := types.NewBag()
			for !p.isOp("}") && p.tok().Kind != TokEOF {
				k := p.tok()
				if k.Kind != TokString && k.Kind != TokIdent {
					p.expected("a property name")
					p.skipTo("}")
					break
				}
				p.next()
				key := k.Text
				if k.Kind == TokString {
					key = k.Val
				}
				p.expectOp(":")
				bag.Set(key, p.parseDynamicValue())
				if !p.gotOp(",") {
					break
				}
			}
			p.expectOp("}")
			return bag
		}
	}
	p.expected("a dynamic value")
	if t.Kind != TokEOF && !(t.Kind == TokOp && strings.Contains(")]},", t.Text)) {
		p.next()
	}
	return nil
}

// dynamicOf converts a literal's value to its dynamic representation:
// int becomes long.
func dynamicOf(x Expr) any {
	lit, ok := x.(*Literal)
	if !ok {
		return nil
	}
	if v, ok := lit.Value.(int32); ok {
		return int64(v)
	}
	return lit.Value
}

func negate(v any) any {
	switch x := v.(type) {
	case int64:
		return -x
	case float64:
		return -x
	case types.Duration:
		return -x
	case decimal.Decimal:
		return x.Neg()
	}
	return v
}

// extraDatetimeLayouts are forms datetime() literals accept beyond
// types.ParseDatetime: month-first dates with dashes.
var extraDatetimeLayouts = []string{"01-02-2006", "01-02-2006 15:04:05", "1-2-2006"}

// datePrefix matches a year-first date whose month or day has one digit.
var datePrefix = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})`)

// parseDatetimeLiteral parses the contents of datetime(...), which may be
// quoted, spaced around dashes (2017 - 08 - 01) or use one-digit parts.
func parseDatetimeLiteral(raw string) (any, bool) {
	if len(raw) >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[len(raw)-1] == raw[0] {
		raw = raw[1 : len(raw)-1]
	}
	if d, ok := types.ParseDatetime(raw); ok {
		return d, true
	}
	norm := strings.Join(strings.Fields(strings.ReplaceAll(raw, " - ", "-")), " ")
	norm = datePrefix.ReplaceAllStringFunc(norm, func(m string) string {
		parts := datePrefix.FindStringSubmatch(m)
		return fmt.Sprintf("%s-%02s-%02s", parts[1], parts[2], parts[3])
	})
	if d, ok := types.ParseDatetime(norm); ok {
		return d, true
	}
	for _, layout := range extraDatetimeLayouts {
		if t, err := time.Parse(layout, norm); err == nil {
			return types.DateFromTime(t), true
		}
	}
	return parseDatetimeParts(raw)
}

// parseDatetimeParts parses the comma-separated form datetime(2025, 6, 14),
// with an optional hour, minute and second, as the startofweek() doc writes it.
func parseDatetimeParts(raw string) (any, bool) {
	parts := strings.Split(raw, ",")
	if len(parts) < 3 || len(parts) > 6 {
		return nil, false
	}
	var n [6]int
	for i, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return nil, false
		}
		n[i] = v
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC)
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] || t.Hour() != n[3] ||
		t.Minute() != n[4] || t.Second() != n[5] || n[0] < 1 || n[0] > 9999 {
		return nil, false
	}
	return types.DateFromTime(t), true
}
