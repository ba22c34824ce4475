package functions

import (
	"testing"

	"github.com/huntql/huntql/internal/types"
)

// The expected types below are what Kusto.Language reports for the same
// expressions (checked with the kusto-oracle tool).
func TestResultTypes(t *testing.T) {
	const (
		I, L, R, D              = types.Int, types.Long, types.Real, types.Decimal
		S, B, DT, TS            = types.String, types.Bool, types.Datetime, types.Timespan
		G, Y, U                 = types.Guid, types.Dynamic, types.Unknown
		bad          types.Type = 255
	)
	tests := []struct {
		name string
		fn   string
		args []types.Type
		want types.Type // bad: an error is expected
	}{
		{"iff numbers widen", "iff", []types.Type{B, L, R}, R},
		{"iff int long", "iff", []types.Type{B, I, L}, L},
		{"iff string dynamic", "iff", []types.Type{B, S, Y}, S},
		{"iff conflict is dynamic", "iff", []types.Type{B, DT, TS}, Y},
		{"iff both dynamic", "iff", []types.Type{B, Y, Y}, Y},
		{"case dynamic and long", "case", []types.Type{B, Y, L}, L},
		{"coalesce widen", "coalesce", []types.Type{L, R}, R},
		{"coalesce string dynamic", "coalesce", []types.Type{S, Y}, Y},
		{"coalesce conflict", "coalesce", []types.Type{S, L}, bad},
		{"max_of", "max_of", []types.Type{I, L}, L},
		{"bin int int", "bin", []types.Type{I, I}, L},
		{"bin long real", "bin", []types.Type{L, R}, R},
		{"bin datetime timespan", "bin", []types.Type{DT, TS}, DT},
		{"bin long timespan", "bin", []types.Type{L, TS}, bad},
		{"round int", "round", []types.Type{I}, I},
		{"abs int", "abs", []types.Type{I}, L},
		{"abs timespan", "abs", []types.Type{TS}, TS},
		{"strlen dynamic", "strlen", []types.Type{Y}, L},
		{"strlen long", "strlen", []types.Type{L}, bad},
		{"extract dynamic source", "extract", []types.Type{S, L, Y}, bad},
		{"extract int group", "extract", []types.Type{S, I, S}, S},
		{"extract typed", "extract", []types.Type{S, L, S, L}, L},
		{"substring real start", "substring", []types.Type{S, R}, bad},
		{"isnan long", "isnan", []types.Type{L}, B},
		{"isnan decimal", "isnan", []types.Type{D}, bad},
		{"ago long", "ago", []types.Type{L}, bad},
		{"toguid long", "toguid", []types.Type{L}, bad},
		{"todatetime long", "todatetime", []types.Type{L}, DT},
		{"datetime_part", "datetime_part", []types.Type{S, DT}, I},
		{"dayofweek", "dayofweek", []types.Type{DT}, TS},
		{"array_length long", "array_length", []types.Type{L}, bad},
		{"split", "split", []types.Type{L, S}, Y},
		{"hash", "hash", []types.Type{G}, L},
		{"null literal accepted", "strlen", []types.Type{U}, L},
		{"strcat any", "strcat", []types.Type{L, DT, Y}, S},
		{"too many args", "strlen", []types.Type{S, S}, bad},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := LookupScalar(tc.fn)
			if !ok {
				t.Fatalf("%s not registered", tc.fn)
			}
			got, err := f.Result(tc.args)
			if tc.want == bad {
				if err == nil {
					t.Fatalf("%s%v = %s, want an error", tc.fn, tc.args, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("%s%v = %s, %v; want %s", tc.fn, tc.args, got, err, tc.want)
			}
		})
	}
}

func TestBinaryResultTypes(t *testing.T) {
	const (
		I, L, R, D   = types.Int, types.Long, types.Real, types.Decimal
		S, B, DT, TS = types.String, types.Bool, types.Datetime, types.Timespan
		Y            = types.Dynamic
		bad          = types.Type(255)
	)
	tests := []struct {
		name string
		l    types.Type
		op   string
		r    types.Type
		want types.Type
	}{
		{"int plus int", I, "+", I, L},
		{"decimal plus real", D, "+", R, D},
		{"int div long", I, "/", L, L},
		{"datetime minus datetime", DT, "-", DT, TS},
		{"timespan minus datetime", TS, "-", DT, DT},
		{"timespan over timespan", TS, "/", TS, R},
		{"timespan over real", TS, "/", R, TS},
		{"decimal times timespan", D, "*", TS, TS},
		{"datetime mod timespan", DT, "%", TS, TS},
		{"dynamic plus long", Y, "+", L, L},
		{"dynamic plus dynamic", Y, "+", Y, Y},
		{"datetime minus dynamic", DT, "-", Y, TS},
		{"dynamic times timespan", Y, "*", TS, bad},
		{"string plus string", S, "+", S, bad},
		{"datetime plus long", DT, "+", L, bad},
		{"long less datetime", L, "<", DT, bad},
		{"long equals string", L, "==", S, B},
		{"dynamic greater long", Y, ">", L, B},
		{"contains on long", L, "contains", S, bad},
		{"has on dynamic", Y, "has", S, B},
		{"and on dynamic", B, "and", Y, B},
		{"and on long", B, "and", L, bad},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			op, ok := LookupBinary(tc.op)
			if !ok {
				t.Fatalf("%s not registered", tc.op)
			}
			got, err := op.Result(tc.l, tc.r)
			if tc.want == bad {
				if err == nil {
					t.Fatalf("%s %s %s = %s, want an error", tc.l, tc.op, tc.r, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("%s %s %s = %s, %v; want %s", tc.l, tc.op, tc.r, got, err, tc.want)
			}
		})
	}
}
