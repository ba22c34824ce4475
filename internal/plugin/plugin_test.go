package plugin

import (
	"strings"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

func TestParseNetwork(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		v6     bool
		ok     bool
		bits   int
		member string // an address the network holds
	}{
		{"cidr", "10.1.0.0/16", false, true, 16, "10.1.200.3"},
		{"unmasked cidr", "10.1.2.3/8", false, true, 8, "10.200.0.1"},
		{"single address", "192.168.1.7", false, true, 32, "192.168.1.7"},
		{"ipv6 in ipv4 lookup", "fd00::/16", false, false, 0, ""},
		{"ipv6", "fd00:1::/32", true, true, 32, "fd00:1::5"},
		{"ipv4 in ipv6 lookup", "10.0.0.0/8", true, true, 104, "10.9.9.9"},
		{"garbage", "not-a-net", false, false, 0, ""},
		{"empty", "", false, false, 0, ""},
		{"bad prefix", "10.0.0.0/40", false, false, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := parseNetwork(tt.in, tt.v6)
			if ok != tt.ok {
				t.Fatalf("parseNetwork(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if !ok {
				return
			}
			if p.Bits() != tt.bits {
				t.Errorf("bits = %d, want %d", p.Bits(), tt.bits)
			}
			a, aok := parseAddr(tt.member, tt.v6)
			if !aok || !p.Contains(a) {
				t.Errorf("%s does not hold %s", p, tt.member)
			}
		})
	}
}

func TestWindowBins(t *testing.T) {
	w := window{start: 10, end: 40, step: 10}
	tests := []struct{ v, bin int64 }{{10, 10}, {19, 10}, {20, 20}, {9, 0}, {-1, -10}, {-11, -20}}
	for _, tt := range tests {
		if got := w.binOf(tt.v); got != tt.bin {
			t.Errorf("binOf(%d) = %d, want %d", tt.v, got, tt.bin)
		}
	}
	if got := len(w.periods()); got != 4 {
		t.Errorf("periods = %d, want 4 (10, 20, 30, 40)", got)
	}
	if got := floorDiv(-1, 10); got != -1 {
		t.Errorf("floorDiv(-1, 10) = %d, want -1", got)
	}
}

func TestCommonType(t *testing.T) {
	tests := []struct {
		a, b, want string
		ok         bool
	}{
		{"int", "int", "int", true},
		{"int", "long", "long", true},
		{"real", "long", "real", true},
		{"string", "long", "", false},
		{"dynamic", "string", "", false},
	}
	for _, tt := range tests {
		got, ok := commonType(tt.a, tt.b)
		if got != tt.want || ok != tt.ok {
			t.Errorf("commonType(%s, %s) = %s, %v; want %s, %v", tt.a, tt.b, got, ok,
				tt.want, tt.ok)
		}
	}
}

func TestDynamicType(t *testing.T) {
	tests := []struct {
		v    any
		want types.Type
	}{
		{int64(1), types.Long},
		{1.5, types.Real},
		{"x", types.String},
		{true, types.Bool},
		{[]any{1}, types.Dynamic},
		{types.NewBag(), types.Dynamic},
		{types.Date(0), types.Datetime},
	}
	for _, tt := range tests {
		if got := dynamicType(tt.v); got != tt.want {
			t.Errorf("dynamicType(%v) = %s, want %s", tt.v, got, tt.want)
		}
	}
}

func TestNewBindingKnowsConstants(t *testing.T) {
	in := column.Schema{{Name: "d", Type: types.Dynamic}}
	args := []plan.PluginArg{
		{Expr: &plan.ColRef{Index: 0, Name: "d", T: types.Dynamic}},
		{Expr: &plan.Const{Value: "p_", T: types.String}},
		{Name: "ignoredProperties", Expr: &plan.Const{Value: []any{"a"}, T: types.Dynamic}},
		{Ident: "network"},
	}
	b := NewBinding(in, args, nil)
	if b.Args[0].Col != 0 || b.Args[0].Const {
		t.Errorf("column argument: %+v", b.Args[0])
	}
	if !b.Args[1].Const || !b.Args[1].Known || b.Args[1].Value != "p_" {
		t.Errorf("literal argument: %+v", b.Args[1])
	}
	if b.Args[2].Name != "ignoredProperties" {
		t.Errorf("named argument: %+v", b.Args[2])
	}
	if b.Args[3].Unbound != "network" || b.Args[3].Col != -1 {
		t.Errorf("bare name argument: %+v", b.Args[3])
	}
}

func TestBagUnpackArgumentErrors(t *testing.T) {
	in := column.Schema{{Name: "d", Type: types.Dynamic}, {Name: "s", Type: types.String}}
	col := func(i int) plan.PluginArg {
		return plan.PluginArg{Expr: &plan.ColRef{Index: i, Name: in[i].Name, T: in[i].Type}}
	}
	str := func(s string) plan.PluginArg {
		return plan.PluginArg{Expr: &plan.Const{Value: s, T: types.String}}
	}
	tests := []struct {
		name string
		args []plan.PluginArg
		want string
	}{
		{"no arguments", nil, "expected 1 to 4 arguments"},
		{"string column", []plan.PluginArg{col(1)}, "expected a dynamic column, found string"},
		{"constant bag", []plan.PluginArg{str("x")}, "expected a column of the input"},
		{"bad prefix", []plan.PluginArg{col(0), col(1)}, "expected a constant string"},
		{"unknown parameter", []plan.PluginArg{col(0),
			{Name: "prefix", Expr: &plan.Const{Value: "x", T: types.String}}},
			"unknown parameter prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bindBagUnpack(NewBinding(in, tt.args, nil))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNamesOmitUnavailable(t *testing.T) {
	for _, n := range Names() {
		p, _ := Lookup(n)
		if p.External || p.Builtin || p.Unsupported != "" || p.Run == nil || p.Bind == nil {
			t.Errorf("Names lists %s, which huntql does not run", n)
		}
	}
	for _, n := range []string{"python", "http_request", "DeviceFromIP"} {
		for _, m := range Names() {
			if m == n {
				t.Errorf("Names lists %s", n)
			}
		}
	}
}

func TestNamesListSessionCount(t *testing.T) {
	for _, n := range Names() {
		if n == "session_count" {
			return
		}
	}
	t.Errorf("Names omits session_count, which huntql runs")
}
