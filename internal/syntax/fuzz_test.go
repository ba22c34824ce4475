package syntax

import "testing"

// fuzzSeeds are inline seeds covering each part of the grammar; corpus
// queries are added at run time when the shared folder is present.
var fuzzSeeds = []string{
	"T | where a == 1 and b !has 'x' | project a, b = c * 2",
	`let f = (T: (*), n: long = 3) { T | take n }; f(U)`,
	`print d = dynamic({"a": [1, -2.5, datetime(2020-01-01)]}), t = 1.5h, s = @"c:\x" h'y'`,
	"T | summarize count() by bin(ts, 1h) | render timechart with (title='x')",
	"T | join kind=inner (U | where x in~ ('a')) on $left.a == $right.b",
	"range x from 1 to 10 step 1 | mv-apply y = x to typeof(long) on (summarize sum(y))",
	"datatable(a: long)[1, 2] | parse a with * 'x' b: int | scan with (step s: true;)",
	"```multi\nline``` // comment",
	"T | where x between (1 .. 10) | top-nested 2 of a by sum(b)",
	"declare pattern p = (a: string)[b: string] { ('x').['y'] = { T }; }; declare pattern q; p('x').y",
	"E | make-graph s --> d with N on id | graph-match cycles=none (a)-[e*1..3]->(b)<--(), (b)--(c) " +
		"where all(e, w > 1) project a.x, map(inner_nodes(e), node_id())",
	"E | make-graph s -- d with_node_id=n partitioned-by t (graph-shortest-paths output=all " +
		"(a)<-[*2..4]-(b) project a.n) | graph-to-table nodes as N with_node_id=I, edges as M",
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, q := range loadCorpus(f) {
		f.Add(q.Query)
	}
}

// FuzzScan checks that the scanner never panics, always ends, and returns
// tokens in order whose text is the source they span.
func FuzzScan(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		toks, _ := Scan(NewSource("fuzz", text))
		if len(toks) == 0 || toks[len(toks)-1].Kind != TokEOF {
			t.Fatalf("token list does not end with EOF")
		}
		prev := Pos(0)
		for _, tok := range toks {
			if tok.Pos < prev || tok.End < tok.Pos || int(tok.End) > len(text) {
				t.Fatalf("token %q at [%d,%d) out of order after %d", tok.Text, tok.Pos, tok.End, prev)
			}
			if text[tok.Pos:tok.End] != tok.Text {
				t.Fatalf("token text %q is not its source %q", tok.Text, text[tok.Pos:tok.End])
			}
			prev = tok.End
		}
	})
}

// FuzzParse checks that the parser never panics and that whatever parses
// survives a print-then-reparse round trip.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		script, err := Parse(NewSource("fuzz", text))
		if script == nil {
			t.Fatalf("nil script")
		}
		if err != nil {
			for _, e := range err.(ErrorList) {
				if e.Span.Start < 0 || int(e.Span.Start) > len(text) {
					t.Fatalf("error %q at %d outside the text", e.Msg, e.Span.Start)
				}
			}
			return
		}
		first := Print(script)
		again, err := Parse(NewSource("printed", first))
		if err != nil {
			t.Fatalf("printed text does not parse: %v\ninput:\n%s\nprinted:\n%s", err, text, first)
		}
		if second := Print(again); second != first {
			t.Fatalf("round trip differs:\n%s\n---\n%s", first, second)
		}
	})
}
