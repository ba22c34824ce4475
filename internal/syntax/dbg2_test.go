package syntax

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestDbgRejected(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/queries/*.jsonl")
	files = append(files, "../../../shared/conformance/docs-cases.jsonl")
	for _, name := range files {
		f, _ := os.Open(name)
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var rec struct {
				ID     string `json:"id"`
				Query  string `json:"query"`
				Oracle struct {
					Errors []struct{ Start int; Message string } `json:"errors"`
				} `json:"oracle"`
			}
			json.Unmarshal(sc.Bytes(), &rec)
			if len(rec.Oracle.Errors) == 0 {
				continue
			}
			src := NewSource(rec.ID, rec.Query)
			_, err := Parse(src)
			if err == nil {
				continue
			}
			e := err.(ErrorList)[0]
			o := rec.Oracle.Errors[0]
			fmt.Printf("%s | ours@%d: %s | oracle@%d: %s\n", rec.ID, e.Span.Start, e.Msg, o.Start, o.Message)
		}
	}
}
