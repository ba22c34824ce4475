package exec

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/sema"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// vecSchema is the table V the kernel tests read.
var vecSchema = column.Schema{
	{Name: "s", Type: types.String}, {Name: "s2", Type: types.String},
	{Name: "l", Type: types.Long}, {Name: "l2", Type: types.Long},
	{Name: "i", Type: types.Int},
	{Name: "r", Type: types.Real}, {Name: "r2", Type: types.Real},
	{Name: "d", Type: types.Datetime}, {Name: "d2", Type: types.Datetime},
	{Name: "ts", Type: types.Timespan},
	{Name: "b", Type: types.Bool}, {Name: "b2", Type: types.Bool},
}

type vecCatalog struct{}

func (vecCatalog) Table(name string) (column.Schema, bool) {
	if name == "V" {
		return vecSchema, true
	}
	return nil, false
}

func (vecCatalog) Tables() []string { return []string{"V"} }

// vecBatch builds the rows of V: every column cycles through its edge
// values (nulls, empty and mixed-case strings, unicode, NaN, infinities,
// the integer extremes), each with its own period so that rows combine
// them differently.
func vecBatch(n int) *column.Batch { return vecRows(n, nil) }

// vecRows builds n rows of V, picking values at random with rng, or in
// turn when rng is nil.
func vecRows(n int, rng *rand.Rand) *column.Batch {
	date := func(s string) any {
		d, ok := types.ParseDatetime(s)
		if !ok {
			panic(s)
		}
		return d
	}
	vals := [][]any{
		{"", "ConnectionFailed", "connectionfailed", "CONNECTIONFAILED", "Müller", "MÜLLER",
			"straße", "https://host:443/path", "-enc x", "a-enc b", "http.server", "ﬁle",
			"İstanbul", "x", "enc", "Connection Failed", " x ", "ΣΊΣΥΦΟΣ"},
		{"x", "", "connectionfailed", "MÜLLER", "enc", "ConnectionFailed", "Z"},
		{int64(0), int64(1), int64(-1), int64(math.MinInt64), int64(math.MaxInt64), nil,
			int64(5), int64(7), int64(-7), int64(3)},
		{int64(3), int64(0), nil, int64(-1), int64(5), int64(math.MinInt64), int64(-3)},
		{int32(0), int32(1), nil, int32(math.MaxInt32), int32(math.MinInt32), int32(2)},
		{0.0, math.Copysign(0, -1), 1.5, math.NaN(), math.Inf(1), math.Inf(-1), nil, -2.5,
			5.0, 1e300},
		{2.0, 0.0, math.NaN(), nil, -1.5, 1.5},
		{date("2025-05-07T16:15:31Z"), nil, types.MinDatetime, types.MaxDatetime,
			date("2019-12-31T23:59:59.9999999Z"), date("2020-01-01")},
		{date("2025-05-07T16:15:31Z"), date("2020-01-01"), nil},
		{types.Duration(0), 90 * types.Minute, -types.Hour, nil, types.Duration(1),
			types.Duration(math.MinInt64), types.Hour},
		{true, false, nil, true},
		{false, true, true, nil, false},
	}
	b := column.NewBatch(vecSchema, n)
	for i := 0; i < n; i++ {
		for c, vs := range vals {
			k := i % len(vs)
			if rng != nil {
				k = rng.IntN(len(vs))
			}
			b.Cols[c].Append(vs[k])
		}
	}
	b.N = n
	return b
}

// vecExprs are expressions over V that must have kernels.
func vecExprs() []string {
	var out []string
	for _, op := range []string{"==", "!=", "<", "<=", ">", ">="} {
		for _, f := range []string{
			"l %s 5", "5 %s l", "l %s l2", "i %s l", "i %s 1", "r %s 1.5", "r %s r2", "l %s r",
			"r %s 5", "2.5 %s l", "l %s long(null)", "r %s real(null)", "r %s real(nan)",
			"d %s datetime(2020-01-01)", "d %s d2", "ts %s 1h", "ts %s ts",
			`s %s "ConnectionFailed"`, "s %s s2", `s %s ""`, `"x" %s s`,
		} {
			out = append(out, strings.ReplaceAll(f, "%s", op))
		}
	}
	out = append(out, "b == true", "b != false", "b == b2", "b != b2", "b == bool(null)")
	for _, op := range []string{
		"=~", "!~", "has", "!has", "has_cs", "!has_cs", "contains", "!contains",
		"contains_cs", "!contains_cs", "startswith", "!startswith", "startswith_cs",
		"!startswith_cs", "endswith", "!endswith", "endswith_cs", "!endswith_cs",
		"hasprefix", "!hasprefix", "hassuffix", "hassuffix_cs",
	} {
		for _, needle := range []string{
			"", "connection", "FAILED", "connectionfailed", "müller", "MÜLLER", "ß", "enc",
			"-enc", "http", "İ", "ﬁ", "σίσυφος", " ", "x",
		} {
			out = append(out, "s "+op+" "+quote(needle))
		}
		out = append(out, "tolower(s) "+op+` "enc"`)
	}
	out = append(out,
		`s matches regex "^[a-z]+$"`, `s matches regex "(?i)müller"`, `s2 matches regex ""`,
		`s in ("ConnectionFailed", "x", "")`, `s !in ("ConnectionFailed", "x")`,
		`s in~ ("connectionfailed", "müller", "İSTANBUL")`, `s !in~ ("X", "straSSe")`,
		`s in (dynamic(["enc", "Z"]), "x")`, `s in (dynamic([]))`, `s in (1, "x")`,
		`s has_any ("enc", "http", "FAILED")`, `s has_any ("connection")`,
		`s has_all ("host", "path")`, `s has_all ("müller")`, `tostring(l) in ("5", "7")`,
		"l in (1, 5, -1)", "l !in (1, 5)", "i in (1, 2)", "l in (dynamic([7, 3]))",
		"i !in (int(null), 0)",
		"isempty(s)", "isnotempty(s)", "notempty(s)", "isnull(s)", "isnotnull(s)",
		"isnull(l)", "isnotnull(r)", "isempty(l)", "isnotempty(d)", "notnull(b)",
		"isempty(ts)", "isnull(i)", "isempty(tolower(s))", "isnotempty(strcat(s, s2))",
		"b and b2", "b or b2", "not(b)", "(l > 0) and (s has \"enc\")", "isnotempty(s) or b",
		"b and tobool(s)", "not(l > 0)", "not(r < 2)", "(r > 0) or (l < 0)",
		"l between (0 .. 5)", "l !between (0 .. 5)", "r between (0.0 .. 2.0)",
		"l between (0.5 .. 5.5)", "r between (0 .. 2)", "i between (1 .. 2)",
		"d between (datetime(2020-01-01) .. 1d)", "d !between (datetime(2020-01-01) .. 1d)",
		"d between (datetime(2020-01-01) .. datetime(2026-01-01))",
		"ts between (0s .. 1h)", "l between (long(null) .. 5)", "r between (0.0 .. real(nan))",
		"bin(d, 1h)", "bin(ts, 1h)", "bin(l, 5)", "bin(l, -5)", "bin(l, 0)", "bin(r, 0.5)",
		"bin(l, 2.5)", "floor(d, 1d)", "bin(r, 2)", "bin(r, 0.0)", "bin(d, 0s)",
		"bin(d, timespan(null))", "bin(i, 2.5)", "floor(l, 3)",
		"l + l2", "l - 1", "l * l2", "l / l2", "l % l2", "l / 0", "l % 0", "r + l",
		"r % 2.5", "r % -2.5", "l % -3", "r / 0.0", "r - r2", "r * 2", "2 * r", "i + i",
		"i * l", "10 - l", "l + long(null)", "d + 1h", "d - 1h", "d - d2", "1h + d",
		"ts + ts", "ts - 1h", "d + ts", "l / -1", "r / l",
		"l + 1 > 3", "bin(l, 5) == 5", "(l % 3) in (1, 2)",
		"iff(b, l, l2)", "iff(isempty(s), s2, s)", `case(l > 0, "pos", l < 0, "neg", "zero")`,
		"iff(r > 0, r, r2)", "iif(b, d, d2)", "case(b, ts, 1h)", "iff(b, 1, 2)",
		"iff(b, i, int(null))", "iff(b, b2, false)", "case(b, l, b2, l2, long(null))",
		"iff(tobool(s), 1.5, r)", `iff(s has "enc", tolower(s), toupper(s2))`,
		"tolower(s)", "toupper(s)", "strlen(s)", "strlen(tolower(s))", `tolower(s) == "müller"`,
		`toupper(s) in ("MÜLLER", "STRASSE")`, "strlen(s) > 5",
		"-l", "-r", "-ts", "-(l + 1) < 0", "-r == 0",
	)
	return out
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// compileVec compiles expr over V.
func compileVec(t *testing.T, r *runner, expr string) *compiled {
	t.Helper()
	src := syntax.NewSource("test", "V | project x = "+expr)
	script, err := syntax.Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	q, err := sema.Analyze(script, vecCatalog{})
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	p, ok := q.Result().(*plan.Project)
	if !ok {
		t.Fatalf("%s: plan is %T", expr, q.Result())
	}
	c, err := r.compile(p.Exprs[0])
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return c
}

// sameVectors reports the first row where the two vectors differ, NaN
// equal to NaN, or -1.
func sameVectors(a, b *column.Vector) int {
	if a.Type != b.Type || a.Len() != b.Len() {
		return 0
	}
	for i := 0; i < a.Len(); i++ {
		x, y := a.Value(i), b.Value(i)
		if a.IsNull(i) != b.IsNull(i) {
			return i
		}
		if fx, ok := x.(float64); ok {
			if fy, ok := y.(float64); ok && (fx == fy && math.Signbit(fx) == math.Signbit(fy) ||
				math.IsNaN(fx) && math.IsNaN(fy)) {
				continue
			}
			return i
		}
		if types.Format(x) != types.Format(y) {
			return i
		}
	}
	return -1
}

// TestKernelsMatchRows checks every kernel against the row function over
// V, directly and through dictionaries.
func TestKernelsMatchRows(t *testing.T) {
	r := newRunner(context.Background(), Options{})
	rng := rand.New(rand.NewPCG(3, 4))
	for _, expr := range vecExprs() {
		t.Run(expr, func(t *testing.T) {
			c := compileVec(t, r, expr)
			if c.vec == nil {
				t.Fatalf("no kernel for %s", expr)
			}
			checkKernel(t, c, vecBatch(211))
			checkKernel(t, c, vecRows(300, rng))
		})
	}
}

// checkKernel compares c's kernel and its evaluation through dictionaries
// with its row function over b.
func checkKernel(t *testing.T, c *compiled, b *column.Batch) {
	t.Helper()
	enc := encodeDicts(b, nil)
	want := c.evalRows(b)
	got := c.vec(b)
	if got == nil {
		t.Fatal("the kernel refused the batch")
	}
	if i := sameVectors(got, want); i >= 0 {
		t.Fatalf("row %d (%s): kernel %v (%s), rows %v (%s)", i, rowDesc(b, i),
			valueAt(got, i), got.Type, valueAt(want, i), want.Type)
	}
	if got = c.eval(b); sameVectors(got, want) >= 0 { // through the memo, if any
		i := sameVectors(got, want)
		t.Fatalf("row %d (%s): eval %v, rows %v", i, rowDesc(b, i), valueAt(got, i),
			valueAt(want, i))
	}
	for round := 0; round < 2; round++ { // the second round reads the cache
		got = c.eval(enc)
		if i := sameVectors(got, want); i >= 0 {
			t.Fatalf("round %d, row %d (%s): dictionary %v, rows %v", round, i,
				rowDesc(b, i), valueAt(got, i), valueAt(want, i))
		}
	}
}

func valueAt(v *column.Vector, i int) any {
	if i < v.Len() {
		return v.Value(i)
	}
	return "<none>"
}

func rowDesc(b *column.Batch, i int) string {
	if i >= b.N {
		return "length"
	}
	var parts []string
	for c, f := range vecSchema {
		parts = append(parts, f.Name+"="+types.Format(b.Cols[c].Value(i)))
	}
	return strings.Join(parts, " ")
}

// TestKernelFallsBack checks that a kernel given a column of another type
// than planned leaves the batch to the row function.
func TestKernelFallsBack(t *testing.T) {
	r := newRunner(context.Background(), Options{})
	c := compileVec(t, r, "l > 2")
	b := vecBatch(10)
	b.Cols[2] = column.Const(types.Int, int32(3), 10)
	if c.vec(b) != nil {
		t.Fatal("the kernel took an int column planned as long")
	}
	if v := c.eval(b); v.Len() != 10 || v.Value(0) != true {
		t.Fatalf("eval = %v", v.Value(0))
	}
}

// TestDictionaryEvaluation checks per-dictionary evaluation over batches
// sharing one dictionary: results, the cache, and string results that
// carry a dictionary of their own.
func TestDictionaryEvaluation(t *testing.T) {
	r := newRunner(context.Background(), Options{})
	dict := []string{"https://a.example.com:443/x", "b.example.com", "", "HTTP://C/",
		"https://a.example.com:443/x?y"}
	batch := func(codes ...int32) *column.Batch {
		b := vecBatch(len(codes))
		v := &column.Vector{Type: types.String, Dict: dict, Codes: codes}
		for _, k := range codes {
			v.Str = append(v.Str, dict[k])
		}
		b.Cols[0] = v
		return b
	}
	domain := compileVec(t, r,
		`case(s contains "//", tostring(parse_url(s).Host), s)`)
	if domain.one != 0 {
		t.Fatalf("one = %d, want 0", domain.one)
	}
	for _, codes := range [][]int32{{0, 1, 2, 0, 3}, {4, 4, 1}, {2}, {0, 1, 2, 3, 4, 3}} {
		b := batch(codes...)
		got := domain.eval(b)
		want := domain.evalRows(b)
		if i := sameVectors(got, want); i >= 0 {
			t.Fatalf("codes %v, row %d: %v, want %v", codes, i, got.Value(i), want.Value(i))
		}
		if got.Codes == nil || len(got.Codes) != b.N {
			t.Fatalf("codes %v: the string result carries no dictionary", codes)
		}
		seen := map[string]bool{}
		for i, k := range got.Codes {
			if got.Dict[k] != got.Str[i] {
				t.Fatalf("codes %v: Dict[Codes[%d]] = %q, Str = %q", codes, i, got.Dict[k],
					got.Str[i])
			}
		}
		for _, s := range got.Dict {
			if seen[s] {
				t.Fatalf("result dictionary %q repeats %q", got.Dict, s)
			}
			seen[s] = true
		}
	}
	if n := len(domain.dicts.m); n != 1 {
		t.Fatalf("%d cache entries, want 1", n)
	}
	// The next expression over the result runs per result value.
	in := compileVec(t, r, `s in ("a.example.com", "b.example.com")`)
	b := batch(0, 1, 2, 3, 4)
	b.Cols[0] = domain.eval(b)
	got, want := in.eval(b), in.evalRows(b)
	if i := sameVectors(got, want); i >= 0 {
		t.Fatalf("in over the result, row %d: %v, want %v", i, got.Value(i), want.Value(i))
	}
	if len(in.dicts.m) != 1 {
		t.Fatal("in did not run over the result's dictionary")
	}
}

// TestDictionaryConcurrent evaluates one expression from several
// goroutines over batches sharing dictionaries (run with -race).
func TestDictionaryConcurrent(t *testing.T) {
	r := newRunner(context.Background(), Options{})
	c := compileVec(t, r, `strcat(tolower(s), "!")`)
	src := vecBatch(500)
	var wg sync.WaitGroup
	want := c.evalRows(src)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				b := encodeDicts(src, nil)
				if i := sameVectors(c.eval(b), want); i >= 0 {
					t.Errorf("row %d differs", i)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// dictState keeps one growing dictionary per column position, so that
// consecutive batches share (prefixes of) the same dictionary slice.
type dictState struct {
	mu    sync.Mutex
	dicts map[int]*growingDict
}

type growingDict struct {
	vals  []string
	index map[string]int32
}

// encodeDicts returns b with every string column that has no dictionary
// dictionary-encoded; with st, columns keep one growing dictionary each
// across calls.
func encodeDicts(b *column.Batch, st *dictState) *column.Batch {
	out := &column.Batch{Cols: make([]*column.Vector, len(b.Cols)), N: b.N}
	if st != nil {
		st.mu.Lock()
		defer st.mu.Unlock()
	}
	for c, v := range b.Cols {
		out.Cols[c] = v
		if v == nil || v.Type != types.String || v.Codes != nil || v.Nulls != nil ||
			len(v.Str) == 0 {
			continue
		}
		g := &growingDict{index: map[string]int32{}}
		if st != nil {
			if st.dicts == nil {
				st.dicts = map[int]*growingDict{}
			}
			if st.dicts[c] == nil {
				st.dicts[c] = g
			}
			g = st.dicts[c]
		}
		codes := make([]int32, len(v.Str))
		for i, s := range v.Str {
			k, ok := g.index[s]
			if !ok {
				k = int32(len(g.vals))
				g.vals = append(g.vals, s)
				g.index[s] = k
			}
			codes[i] = k
		}
		n := len(g.vals)
		out.Cols[c] = &column.Vector{Type: types.String, Str: v.Str, Dict: g.vals[:n:n],
			Codes: codes}
	}
	return out
}

// TestFilterGather checks that a filter's gather keeps the rows of every
// column, shared null columns and dictionaries included.
func TestFilterGather(t *testing.T) {
	b := encodeDicts(vecBatch(20), nil)
	b.Cols[1] = column.Null(types.String, 20)
	b.Cols[3] = column.Null(types.Long, 20)
	idx := []int{1, 4, 5, 19}
	got, want := gather(b, idx), b.Gather(idx)
	for c := range got.Cols {
		if i := sameVectors(got.Cols[c], want.Cols[c]); i >= 0 {
			t.Fatalf("column %d, row %d differs", c, i)
		}
	}
	if !sharedNulls(got.Cols[3]) || !sharedNulls(got.Cols[1]) || sharedNulls(got.Cols[2]) {
		t.Fatal("null columns were copied, or a column of values was taken for nulls")
	}
	if got.Cols[0].Codes == nil {
		t.Fatal("the gather dropped the dictionary")
	}
}

// TestMemo checks expressions without kernels computed through the memo
// over consecutive batches, and that a column of distinct values turns
// the memo off.
func TestMemo(t *testing.T) {
	r := newRunner(context.Background(), Options{})
	rng := rand.New(rand.NewPCG(7, 8))
	for _, expr := range []string{
		`case(s contains "//", tostring(parse_url(s).Host), s)`,
		`strcat(s, "!")`, `extract("([a-z]+)", 1, s)`, `tolong(s)`, `todouble(s)`,
		`replace_string(s, "e", "E")`, `iff(strlen(s) > 3, todatetime(s), datetime(null))`,
		`countof(s, "n")`, `tobool(s)`, `parse_url(s).Host == "host"`,
	} {
		t.Run(expr, func(t *testing.T) {
			c := compileVec(t, r, expr)
			if c.memo == nil {
				t.Fatalf("no memo for %s", expr)
			}
			for k := 0; k < 4; k++ {
				b := vecRows(500, rng)
				got, want := c.eval(b), c.evalRows(b)
				if i := sameVectors(got, want); i >= 0 {
					t.Fatalf("batch %d, row %d (%s): memo %v, rows %v", k, i, rowDesc(b, i),
						valueAt(got, i), valueAt(want, i))
				}
			}
			if c.memo.off || len(c.memo.vals) == 0 {
				t.Fatal("the memo was not used")
			}
		})
	}
	c := compileVec(t, r, `strcat(s, "!")`)
	for k := 0; k < 6; k++ {
		b := vecRows(column.BatchSize, rng)
		for i := range b.Cols[0].Str {
			b.Cols[0].Str[i] = fmt.Sprint(k, "-", i)
		}
		if i := sameVectors(c.eval(b), c.evalRows(b)); i >= 0 {
			t.Fatalf("batch %d, row %d differs", k, i)
		}
	}
	if !c.memo.off {
		t.Fatal("the memo stayed on over distinct values")
	}
}

// TestDynamicPerDictionary checks dynamic results (parse_json and what is
// built on it) computed once per dictionary value and through the memo
// against the row function.
func TestDynamicPerDictionary(t *testing.T) {
	r := newRunner(context.Background(), Options{})
	rng := rand.New(rand.NewPCG(9, 10))
	for _, expr := range []string{
		`parse_json(s)`, `parse_json(strcat('{"k":"', s, '","n":[1,2]}'))`,
		`parse_json(strcat('["', s, '"]'))`, `bag_keys(parse_json(strcat('{"', s, '":1}')))`,
		`parse_json(strcat('{"k":"', s, '"}')).k`, `todynamic(iff(s == "x", "[1]", "{}"))`,
	} {
		t.Run(expr, func(t *testing.T) {
			c := compileVec(t, r, expr)
			if c.dicts == nil || c.memo == nil {
				t.Fatalf("%s is not computed per distinct value", expr)
			}
			for k := 0; k < 3; k++ {
				b := vecRows(400, rng)
				want := c.evalRows(b)
				if i := sameVectors(c.eval(b), want); i >= 0 {
					t.Fatalf("batch %d, row %d (%s): memo differs", k, i, rowDesc(b, i))
				}
				enc := encodeDicts(b, nil)
				for round := 0; round < 2; round++ {
					if i := sameVectors(c.eval(enc), want); i >= 0 {
						t.Fatalf("batch %d, round %d, row %d (%s): dictionary differs", k,
							round, i, rowDesc(b, i))
					}
				}
			}
		})
	}
}

// TestDictionariesShareResults checks expressions over batches that each
// bring a dictionary of their own, mostly of the same values, as row
// groups do: the results match the row function, and each distinct value
// is computed once across the dictionaries.
func TestDictionariesShareResults(t *testing.T) {
	r := newRunner(context.Background(), Options{})
	rng := rand.New(rand.NewPCG(15, 16))
	for _, expr := range []string{
		`case(s contains "//", tostring(parse_url(s).Host), s)`, `strlen(s) > 3`,
		`toupper(s)`, `parse_json(s)`, `todouble(s)`,
	} {
		t.Run(expr, func(t *testing.T) {
			c := compileVec(t, r, expr)
			if c.dicts == nil {
				t.Fatalf("%s is not computed per dictionary value", expr)
			}
			distinct := map[string]bool{}
			for k := 0; k < 30; k++ {
				b := vecRows(1+rng.IntN(300), rng)
				for _, s := range b.Cols[0].Str {
					distinct[s] = true
				}
				want := c.evalRows(b)
				enc := encodeDicts(b, nil) // a new dictionary per batch
				if i := sameVectors(c.eval(enc), want); i >= 0 {
					t.Fatalf("batch %d, row %d (%s): %v, want %v", k, i, rowDesc(b, i),
						valueAt(c.eval(enc), i), valueAt(want, i))
				}
			}
			if n := len(c.dicts.seen.vals); n != len(distinct) {
				t.Errorf("%d values computed across dictionaries, want %d", n, len(distinct))
			}
		})
	}
}
