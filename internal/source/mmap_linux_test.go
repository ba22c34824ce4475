//go:build linux && (amd64 || arm64 || riscv64 || ppc64le || s390x || loong64 || mips64 || mips64le)

package source

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// TestMappedFileShrinks checks that a mapped file cut short under the
// reader makes the chunks that touch the lost pages fail, to be read again
// sequentially, rather than crash the process.
func TestMappedFileShrinks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "DeviceNetworkEvents.jsonl")
	line := []byte(`{"ReportId":1}` + "\n")
	if err := os.WriteFile(path, bytes.Repeat(line, 4096), 0o644); err != nil {
		t.Fatal(err)
	}
	data, unmap, ok := mapFile(path)
	if !ok {
		t.Skip("mmap not available")
	}
	defer unmap()
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}

	c := &chunk{data: data[len(data)/2:], ok: true}
	parseGuarded(func(c *chunk) {
		debug.SetPanicOnFault(true)
		_ = bytes.Count(c.data, []byte{'\n'})
		c.ok = true
	}, c)
	if c.ok {
		t.Error("a chunk over lost pages parsed")
	}

	var sent []*chunk
	slots, quit := make(chan struct{}, 8), make(chan struct{})
	withChunkSize(4096, func() {
		cutChunks(data, splitLines, slots, quit, func(c *chunk) { sent = append(sent, c) })
	})
	if len(sent) != 1 || !sent[0].bad || sent[0].off != 0 {
		t.Errorf("cut %d chunks, expected one bad chunk at 0", len(sent))
	}
}

// TestMostlyCachedSeesThePageCache checks mincore's answer on a file just
// written (in the page cache) and on the same file once the kernel was
// told to drop its pages.
func TestMostlyCachedSeesThePageCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.jsonl")
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 1<<22), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := syscall.Mmap(int(f.Fd()), 0, 1<<22, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Skip("mmap not available")
	}
	defer syscall.Munmap(data)
	if !mostlyCached(data) {
		t.Error("a file just written is not seen in the page cache")
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Skip("fadvise:", err)
	}
	if mostlyCached(data) {
		t.Log("the kernel kept the pages after FADV_DONTNEED; nothing more to check")
	}
}
