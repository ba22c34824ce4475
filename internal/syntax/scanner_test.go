package syntax

import (
	"fmt"
	"strings"
	"testing"
)

// tokString renders tokens compactly: kind:text, with the decoded value of
// strings and the contents of typed literals after '='.
func tokString(toks []Token) string {
	var parts []string
	for _, t := range toks {
		if t.Kind == TokEOF {
			break
		}
		s := fmt.Sprintf("%s:%s", kindTag[t.Kind], t.Text)
		switch t.Kind {
		case TokString:
			s += fmt.Sprintf("=%q", t.Val)
			if t.Obfuscated {
				s += "(h)"
			}
		case TokTypedLit:
			s += fmt.Sprintf("=%s/%s", t.Name, t.Val)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

var kindTag = map[Kind]string{
	TokIllegal: "bad", TokIdent: "id", TokLong: "long", TokReal: "real", TokTimespan: "ts",
	TokString: "str", TokTypedLit: "lit", TokOp: "op",
}

func TestScan(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"identifiers", "where project-away $left _x1",
			"id:where id:project op:- id:away id:$left id:_x1"},
		{"comment", "a // comment\nb", "id:a id:b"},
		{"single quoted escapes", `'a\n\t\\\'\"\u0041'`, `str:'a\n\t\\\'\"\u0041'="a\n\t\\'\"A"`},
		{"double quoted", `"it's"`, `str:"it's"="it's"`},
		{"unknown escape kept", `"\d+"`, `str:"\d+"="\\d+"`},
		{"verbatim", `@'C:\x''y'`, `str:@'C:\x''y'="C:\\x'y"`},
		{"verbatim double", `@"a""b"`, `str:@"a""b"="a\"b"`},
		{"obfuscated", `h'secret' H@"x\y"`, `str:h'secret'="secret"(h) str:H@"x\y"="x\\y"(h)`},
		{"multi-line", "```a\nb```", "str:```a\nb```=\"a\\nb\""},
		{"integers", "1 0x1F 42", "long:1 long:0x1F long:42"},
		{"reals", "1.5 1e3 2.5E-2 3.", "real:1.5 real:1e3 real:2.5E-2 real:3."},
		{"range dots", "1..10", "long:1 op:.. long:10"},
		{"timespans", "1d 2h 30m 10s 100ms 1tick 1.5h 10microsecond",
			"ts:1d ts:2h ts:30m ts:10s ts:100ms ts:1tick ts:1.5h ts:10microsecond"},
		{"digit-led name", "5MinuteBin", "id:5MinuteBin"},
		{"operators", "== != <> <= >= =~ !~ .. => | ( ) [ ] { } , ; : = < > + - * / % !",
			"op:== op:!= op:<> op:<= op:>= op:=~ op:!~ op:.. op:=> op:| op:( op:) op:[ op:] " +
				"op:{ op:} op:, op:; op:: op:= op:< op:> op:+ op:- op:* op:/ op:% op:!"},
		{"less than negative", "x<-1", "id:x op:< op:- long:1"},
		{"typed literals", "datetime(2020-01-01 10:00) time(1.02:00) guid(null)",
			"lit:datetime(2020-01-01 10:00)=datetime/2020-01-01 10:00 " +
				"lit:time(1.02:00)=time/1.02:00 lit:guid(null)=guid/null"},
		{"dynamic is not raw", "dynamic([1])", "id:dynamic op:( op:[ long:1 op:] op:)"},
		{"zero-width space", "\u200ba", "id:a"},
		{"bracketed name", "['a b']", `op:[ str:'a b'="a b" op:]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			toks, errs := Scan(NewSource("q", tc.in))
			if len(errs) > 0 {
				t.Fatalf("unexpected errors: %v", errs)
			}
			if got := tokString(toks); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestScanErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unterminated string", `x == "abc`,
			`1:6: expected " to end the string literal, found end of query`},
		{"string broken by newline", "'ab\ncd'",
			`1:1: expected ' to end the string literal, found end of line`},
		{"unterminated multi-line", "```abc",
			"1:1: expected ``` to end the string literal, found end of query"},
		{"bad timespan unit", "1.5parsecs",
			`1:4: expected a timespan unit (d, h, m, s, ms, ...), found "parsecs"`},
		{"bad character", "a ¤ b", `1:3: unexpected character '¤'`},
		{"bad unicode escape", `"\uZZ"`, `1:2: expected four hexadecimal digits after \u`},
		// Found by FuzzParse: a raw 0xAF byte in a string printed back as \u00af.
		{"invalid utf-8 in string", "['\xaf']",
			"1:2: expected a string of valid utf-8, found invalid bytes"},
		{"unclosed typed literal", "datetime(2020",
			"1:1: expected ')' to close datetime literal, found end of line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := NewSource("q", tc.in)
			_, errs := Scan(src)
			if len(errs) == 0 {
				t.Fatalf("no error")
			}
			line, col := src.Position(errs[0].Span.Start)
			if got := fmt.Sprintf("%d:%d: %s", line, col, errs[0].Msg); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
