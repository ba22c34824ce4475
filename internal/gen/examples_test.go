package gen

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExamplesReproduce regenerates the committed sample in examples/ with
// the commands its README documents and checks that every file comes out
// byte for byte the same, so the README stays true and the sample honest.
func TestExamplesReproduce(t *testing.T) {
	dir := filepath.Join("..", "..", "examples")
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatalf("reading the examples README: %v", err)
	}
	cmds := 0
	sc := bufio.NewScanner(bytes.NewReader(readme))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "huntql generate ") {
			continue
		}
		cmds++
		args := strings.Fields(strings.TrimPrefix(line, "huntql generate "))
		out := t.TempDir()
		for i := range args {
			if i > 0 && args[i-1] == "--out" {
				if args[i] != "examples" {
					t.Fatalf("README command %q: expected --out examples", line)
				}
				args[i] = out
			}
		}
		var stdout, stderr bytes.Buffer
		if code := Main(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%s: exit code %d: %s", line, code, stderr.String())
		}
		made, _ := os.ReadDir(out)
		if len(made) == 0 {
			t.Fatalf("%s: wrote no files", line)
		}
		for _, e := range made {
			got, _ := os.ReadFile(filepath.Join(out, e.Name()))
			want, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Errorf("%s: examples/%s is not committed: %v", line, e.Name(), err)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: regenerated %s (%d bytes) differs from examples/%s (%d bytes)",
					line, e.Name(), len(got), e.Name(), len(want))
			}
		}
	}
	if cmds == 0 {
		t.Fatal("examples/README.md documents no `huntql generate` command")
	}
}
